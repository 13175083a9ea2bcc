import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '../../common/auth/decorators';
import { ApiDoc } from '../../common/http/api-doc';
import { REGISTRY_API } from './registry.api-docs';
import { ImportQuery, RegistryFileQuery } from './registry.dto';
import { formatOfUpload, XLSX_TYPE } from './registry-files';
import { RegistryFile, RegistryService } from './registry.service';

@ApiTags('registry')
@ApiBearerAuth()
@Controller('api/v1/registry')
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @ApiDoc(REGISTRY_API.import)
  @ApiConsumes('text/csv', XLSX_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @Roles('admin')
  @Post('import')
  @HttpCode(200)
  import(@Req() req: FastifyRequest, @Query() query: ImportQuery, @Body() body: unknown) {
    return this.registry.import(body, formatOfUpload(req.headers['content-type']), query.dryRun === 'true' || query.dryRun === '1');
  }

  @ApiDoc(REGISTRY_API.export)
  @Roles('admin', 'ministry')
  @Get('export')
  async export(@Query() query: RegistryFileQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return send(reply, await this.registry.export(query.format ?? 'csv'));
  }

  @ApiDoc(REGISTRY_API.template)
  @Roles('admin', 'ministry')
  @Get('template')
  async template(@Query() query: RegistryFileQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return send(reply, await this.registry.template(query.format ?? 'csv'));
  }
}

function send(reply: FastifyReply, file: RegistryFile): Buffer {
  reply.header('content-type', file.contentType);
  reply.header('content-disposition', `attachment; filename="${file.filename}"`);
  return file.body;
}
