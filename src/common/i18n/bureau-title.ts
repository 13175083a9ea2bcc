import { placeName } from './place-name';

/** Every provincial bureau is "Biro Organisasi" unless the province set its own title (DKI Jakarta's). */
export const DEFAULT_BUREAU_TITLE = 'Biro Organisasi';

/**
 * How a letter addresses a province's bureau: "Kepala Biro Organisasi Sekretariat Daerah Provinsi
 * Nusa Tenggara Timur" (the salutation "Yth. Bapak/Ibu" is the template's).
 */
export function bureauHead(provinceName: string, title: string | null | undefined, lang: 'id' | 'en'): string {
  const bureau = title?.trim() || DEFAULT_BUREAU_TITLE;
  const province = placeName(provinceName);
  return lang === 'en'
    ? `Head of the ${bureau}, Regional Secretariat of ${province} Province`
    : `Kepala ${bureau} Sekretariat Daerah Provinsi ${province}`;
}
