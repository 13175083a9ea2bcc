import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { AuditQuery } from './audit.dto';
import { AuditService } from './audit.service';
import { ApiDoc } from '../../common/http/api-doc';
import { AUDIT_API } from './audit.api-docs';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Newest first: who (user, role, address), what (action, entity), when, before → after. */
  @ApiDoc(AUDIT_API.list)
  @Roles('admin')
  @Get()
  list(@Query() query: AuditQuery) {
    return this.audit.list(query);
  }

  /** The hash chain over every audit record: `firstBroken` names where history was rewritten. */
  @ApiDoc(AUDIT_API.verify)
  @Roles('admin')
  @Get('verify')
  verify() {
    return this.audit.verifyChain();
  }
}
