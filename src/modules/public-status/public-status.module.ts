import { Module } from '@nestjs/common';
import { PublicStatusController } from './public-status.controller';
import { PublicStatusQueries } from './public-status.queries';
import { PublicStatusService } from './public-status.service';

/** The public page's data: every MPP's weekly status, for anyone (DOMAIN.md, ground truth). */
@Module({
  controllers: [PublicStatusController],
  providers: [PublicStatusService, PublicStatusQueries],
  exports: [PublicStatusService],
})
export class PublicStatusModule {}
