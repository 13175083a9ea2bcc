/** A file field of a multipart form. */
export interface UploadedFile {
  filename: string;
  type: string;
  data: Buffer;
}

export type MultipartForm = Record<string, string | string[] | UploadedFile>;

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).data);
}

/**
 * A `multipart/form-data` body (a page's file upload) as fields and files, with the platform's own
 * parser (the Fetch API's `Request.formData()`, built into Node): no dependency, no script on the
 * page. A field sent twice becomes an array, as urlencoded forms do.
 */
export async function parseMultipart(body: Buffer, contentType: string): Promise<MultipartForm> {
  const form = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
  const fields: MultipartForm = {};
  for (const [name, value] of form) {
    const parsed =
      typeof value === 'string' ? value : { filename: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) };
    const before = fields[name];
    if (before === undefined) fields[name] = parsed;
    else if (typeof parsed === 'string' && typeof before === 'string') fields[name] = [before, parsed];
    else if (typeof parsed === 'string' && Array.isArray(before)) before.push(parsed);
    else fields[name] = parsed;
  }
  return fields;
}
