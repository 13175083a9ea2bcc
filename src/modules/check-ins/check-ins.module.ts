import { Module } from '@nestjs/common';
import { CyclesModule } from '../cycles/cycles.module';
import { MppsModule } from '../mpps/mpps.module';
import { CheckInsController } from './check-ins.controller';
import { CheckInsService } from './check-ins.service';

@Module({ imports: [MppsModule, CyclesModule], controllers: [CheckInsController], providers: [CheckInsService], exports: [CheckInsService] })
export class CheckInsModule {}
