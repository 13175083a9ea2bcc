import { Module } from '@nestjs/common';
import { FlagEscalationsRepository } from './flag-escalations.repository';
import { FlagsController } from './flags.controller';
import { FlagsRepository } from './flags.repository';
import { FlagsService } from './flags.service';

@Module({
  controllers: [FlagsController],
  providers: [FlagsService, FlagsRepository, FlagEscalationsRepository],
  exports: [FlagsService, FlagEscalationsRepository],
})
export class FlagsModule {}
