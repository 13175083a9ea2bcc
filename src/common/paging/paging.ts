import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 1000;

/**
 * `?page=&limit=` for lists that grow with the country (a province's 4,300 MPPs): opt-in, so a
 * caller that asks for neither gets the whole list as before.
 */
export class PageQuery {
  @ApiProperty({ required: false, minimum: 1, description: 'Page number, from 1 (with `limit`).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiProperty({ required: false, minimum: 1, maximum: MAX_PAGE_SIZE, description: 'Rows a page; asking for it pages the list.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

/** Where a page sits in a list: `page` is clamped to the last one, so a stale link still shows rows. */
export interface PageInfo {
  page: number;
  limit: number;
  total: number;
  pages: number;
  offset: number;
}

export function pageOf(total: number, page: number | undefined, limit: number): PageInfo {
  const pages = Math.max(1, Math.ceil(total / limit));
  const p = Math.min(Math.max(1, page ?? 1), pages);
  return { page: p, limit, total, pages, offset: (p - 1) * limit };
}

/** The part of a PageInfo an answer carries. */
export function pageView({ page, limit, total, pages }: PageInfo): Omit<PageInfo, 'offset'> {
  return { page, limit, total, pages };
}

/** A page of a list (or the whole of it) and the length of the whole list. */
export interface ListPage<T> {
  rows: T[];
  total: number;
}

/**
 * A list's answer stays the array it always was; its whole length travels in `X-Total-Count`, so
 * a client paging with `?limit=` knows when to stop.
 */
export function listAnswer<T>(reply: { header(name: string, value: string): unknown }, list: ListPage<T>): T[] {
  reply.header('x-total-count', String(list.total));
  return list.rows;
}

/** listAnswer for a list already written as JSON text (kept answers): sent as it is. */
export function jsonListAnswer(
  reply: { header(name: string, value: string): unknown; type(contentType: string): unknown },
  list: { json: string; total: number },
): string {
  reply.header('x-total-count', String(list.total));
  reply.type('application/json; charset=utf-8');
  return list.json;
}
