import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../common/errors';
import { isUploadedFile, type MultipartForm } from '../../common/http/multipart';
import type { ImportResult } from '../registry/registry.dto';
import { RegistryFormat, XLSX_TYPE } from '../registry/registry-files';
import { RegistryService } from '../registry/registry.service';
import { PageRequest } from './page-session';
import { PageView } from './page-view';
import { formText } from './validate-form';

/** One line of the preview table: a row of the file with its outcome and its problems. */
interface PreviewRow {
  row: number;
  regencyCode: string;
  name: string;
  outcome: 'create' | 'update' | 'unchanged' | 'error';
  problems: { column: string; problem: string }[];
}

/**
 * The registry import from the admin page, without a script: the file is posted (multipart), the
 * page shows the dry run's table, and "Impor" posts the same bytes back (base64 in a hidden field)
 * for the real import. Both go through RegistryService exactly as the API does, so the import
 * re-checks everything: what is imported is what was previewed, or it is refused again.
 */
@Injectable()
export class RegistryPages {
  constructor(
    private readonly view: PageView,
    private readonly registry: RegistryService,
  ) {}

  async preview(req: PageRequest, reply: FastifyReply, form: MultipartForm) {
    const file = form.file;
    if (!isUploadedFile(file) || !file.data.length) return this.problem(req, reply, 'registry.noFile');
    const format = formatOfFile(file.filename, file.type);
    if (!format) return this.problem(req, reply, 'registry.badType', 415);
    return this.run(req, reply, file.data, format, file.filename, true);
  }

  async import(req: PageRequest, reply: FastifyReply, form: MultipartForm) {
    const content = formText(form.content);
    const format = formText(form.format);
    if (!content || (format !== 'csv' && format !== 'xlsx')) return this.problem(req, reply, 'registry.noFile');
    return this.run(req, reply, Buffer.from(content, 'base64'), format, formText(form.filename) ?? '', false);
  }

  async download(reply: FastifyReply, name: string) {
    const match = /^(registri|templat)\.(csv|xlsx)$/.exec(name);
    if (!match) throw AppError.notFound('File');
    const format = match[2] as RegistryFormat;
    const file = match[1] === 'registri' ? await this.registry.export(format) : await this.registry.template(format);
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .send(file.body);
  }

  private async run(req: PageRequest, reply: FastifyReply, data: Buffer, format: RegistryFormat, filename: string, dryRun: boolean) {
    let result: ImportResult;
    try {
      result = await this.registry.import(data, format, dryRun);
    } catch (e) {
      if (e instanceof AppError && e.statusCode === 400) return this.problem(req, reply, 'registry.unreadable');
      throw e;
    }
    const ok = result.errors.length === 0;
    return this.view.render(
      req,
      reply,
      'admin-registry',
      {
        result,
        table: previewTable(result),
        filename,
        // The same bytes for "Impor", only when the preview found nothing to fix.
        content: dryRun && ok ? data.toString('base64') : null,
        format,
        imported: !dryRun && ok,
      },
      ok ? 200 : 400,
    );
  }

  private problem(req: PageRequest, reply: FastifyReply, formError: string, status = 400) {
    return this.view.render(req, reply, 'admin-registry', { formError }, status);
  }
}

function formatOfFile(filename: string, type: string): RegistryFormat | null {
  if (/\.xlsx$/i.test(filename) || type === XLSX_TYPE) return 'xlsx';
  if (/\.csv$/i.test(filename) || type === 'text/csv') return 'csv';
  return null;
}

/** Every row of the file in order: its outcome, or its problems by column (a row with one has no outcome). */
function previewTable(result: ImportResult): PreviewRow[] {
  const rows = new Map<number, PreviewRow>();
  for (const o of result.outcomes) rows.set(o.row, { ...o, problems: [] });
  for (const e of result.errors) {
    const row = rows.get(e.row) ?? { row: e.row, regencyCode: '', name: '', outcome: 'error' as const, problems: [] };
    row.outcome = 'error';
    row.problems.push({ column: e.column, problem: e.problem });
    rows.set(e.row, row);
  }
  return [...rows.values()].sort((a, b) => a.row - b.row);
}
