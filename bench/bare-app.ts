import { Body, Controller, Get, Module, Put } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { createValidationPipe } from '../src/common/validation';
import { CheckInDto } from '../src/modules/check-ins/check-ins.dto';

/**
 * The durable-write floor the check-in endpoint is compared with, in its own process like the
 * app: Nest + Fastify, the same validation pipe and DTO, one INSERT (its own commit) per request,
 * nothing else — no authentication, rules, revisions, logging or metrics.
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

@Controller()
class BareController {
  @Put('bare/:id/:week')
  async put(@Body() dto: CheckInDto) {
    await pool.query(`INSERT INTO bench_bare (days_open, visitors, transactions, status) VALUES ($1, $2, $3, $4)`, [
      dto.daysOpen,
      dto.visitors,
      dto.transactions,
      dto.status,
    ]);
    return { ok: true };
  }

  @Get('health/ready')
  ready() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), { logger: false });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
}

void main();
