import { pageOf } from './paging';

describe('pageOf', () => {
  it.each([
    // total, asked page, limit → page, pages, offset
    [4300, undefined, 100, 1, 43, 0],
    [4300, 2, 100, 2, 43, 100],
    [4300, 43, 100, 43, 43, 4200],
    [4300, 44, 100, 43, 43, 4200],
    [4301, 44, 100, 44, 44, 4300],
    [0, 1, 100, 1, 1, 0],
    [0, 5, 100, 1, 1, 0],
    [50, 0, 50, 1, 1, 0],
  ])('%i rows, page %s of %i a page → page %i of %i, offset %i', (total, asked, limit, page, pages, offset) => {
    expect(pageOf(total, asked, limit)).toEqual({ page, limit, total, pages, offset });
  });
});
