import { TestApp } from './support/app';

interface Operation {
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> };
  responses: Record<string, { description?: string; content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> }>;
}

type Content = Record<string, { example?: unknown; examples?: Record<string, unknown> }> | undefined;

const hasJsonExample = (content: Content) => {
  const json = content?.['application/json'];
  return json === undefined || json.example !== undefined || Object.keys(json.examples ?? {}).length > 0;
};

/** The generated OpenAPI document (GET /docs-json), as the app builds it in createApp. */
describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { securitySchemes?: Record<string, unknown> } };
  let operations: [string, Operation][];

  beforeAll(async () => {
    t = await TestApp.start();
    doc = (await t.as().get<typeof doc>('/docs-json')).body;
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
    );
  });
  afterAll(() => t.close());

  it('documents the API routes and the bearer scheme', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(doc.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' } });
  });

  it('gives every operation a summary and a description', () => {
    const missing = operations.filter(([, op]) => !op.summary?.trim() || !op.description?.trim()).map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('gives every JSON request body and every JSON answer an example', () => {
    const missing = operations.flatMap(([name, op]) => [
      ...(hasJsonExample(op.requestBody?.content) ? [] : [`${name} request`]),
      ...Object.entries(op.responses)
        .filter(([, response]) => !hasJsonExample(response.content))
        .map(([status]) => `${name} ${status}`),
    ]);
    expect(missing).toEqual([]);
  });

  it('documents the success answer and the errors in the API error shape, and the token on every non-public operation', () => {
    const problems = operations.flatMap(([name, op]) => {
      const statuses = Object.keys(op.responses);
      const errors = statuses.filter((s) => s >= '400');
      const success = statuses.filter((s) => s < '400');
      return [
        ...(success.length && success.every((s) => op.responses[s].description?.trim()) ? [] : [`${name}: no described success answer`]),
        ...(errors.length ? [] : [`${name}: no error answers`]),
        ...errors
          .filter((s) => {
            const example = op.responses[s].content?.['application/json']?.example as Record<string, unknown> | undefined;
            return (
              !example || Object.keys(example).sort().join() !== 'details,error,message,statusCode' || example.statusCode !== Number(s)
            );
          })
          .map((s) => `${name}: ${s} not in the error shape`),
        ...(op.security?.length || !statuses.includes('401') ? [] : [`${name}: answers 401 but names no security scheme`]),
      ];
    });
    expect(problems).toEqual([]);
  });
});
