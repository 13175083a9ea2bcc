import { execFileSync } from 'node:child_process';

/**
 * A PDF's text and page count through pdf-parse, in a child Node process: pdf.js loads its worker
 * with a dynamic import, which Jest's VM refuses without --experimental-vm-modules.
 */
export function pdfText(pdf: Buffer): { text: string; pages: number } {
  const script = `const { PDFParse } = require('pdf-parse');
    const chunks = []; process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
      const parser = new PDFParse({ data: Buffer.concat(chunks) });
      const r = await parser.getText();
      process.stdout.write(JSON.stringify({ text: r.text, pages: r.total }));
      await parser.destroy();
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { input: pdf, cwd: __dirname, timeout: 60_000 }).toString('utf8'));
}
