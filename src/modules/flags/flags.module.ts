import { Module } from '@nestjs/common';
import { FlagEscalationsRepository } from './flag-escalations.repository';
import { FlagsController } from './flags.controller';
import { FlagsService } from './flags.service';

@Module({
  controllers: [FlagsController],
  providers: [FlagsService, FlagEscalationsRepository],
  exports: [FlagsService, FlagEscalationsRepository],
})
export class FlagsModule {}
