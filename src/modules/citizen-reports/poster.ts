// Types only: pdfkit and qrcode (~26 MB of resident memory) load with the first poster, not at boot.
import type PDFKit from 'pdfkit';
import type QRCodeModule from 'qrcode';

export interface PosterInput {
  mppName: string;
  place: string;
  /** Where the QR code leads: the MPP's report page. */
  reportUrl: string;
}

/** The QR code's image: the poster embeds exactly this PNG. */
export async function posterQrPng(url: string): Promise<Buffer> {
  const QRCode = (await import('qrcode')) as unknown as typeof QRCodeModule;
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 720 });
}

/** An A4 poster for an MPP's door: what to do when it is closed, and a QR code to the report page. */
export async function renderPoster(input: PosterInput): Promise<Buffer> {
  const qr = await posterQrPng(input.reportUrl);
  const { default: PDFDocument } = (await import('pdfkit')) as unknown as { default: typeof PDFKit };
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Laporkan — ${input.mppName}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 112;
  doc.fillColor('#0b4f8a').font('Helvetica-Bold').fontSize(30).text('Anda datang dan MPP tutup?', { align: 'center', width });
  doc.moveDown(0.3).fontSize(22).text('Layanan tidak tersedia? Laporkan.', { align: 'center', width });
  doc.moveDown(0.6).fillColor('#1f2933').font('Helvetica').fontSize(16).text(input.mppName, { align: 'center', width });
  doc.fontSize(12).fillColor('#52606d').text(input.place, { align: 'center', width });
  const size = 300;
  doc.image(qr, (doc.page.width - size) / 2, doc.y + 24, { width: size, height: size });
  doc.y += size + 48;
  doc.fillColor('#1f2933').fontSize(14).text('Pindai kode QR dengan ponsel Anda, atau buka:', { align: 'center', width });
  doc.moveDown(0.3).font('Helvetica-Bold').fontSize(12).text(input.reportUrl, { align: 'center', width, link: input.reportUrl });
  doc
    .moveDown(1.2)
    .font('Helvetica')
    .fontSize(11)
    .fillColor('#52606d')
    .text('Laporan Anda dibaca oleh biro organisasi provinsi. Tanpa akun, tanpa nama.', { align: 'center', width });
  doc.end();
  return done;
}
