import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateSignalSourceDto {
  @ApiProperty({ example: 'Mesin antrean lantai 1', description: 'What pings: a queue-ticket machine, a kiosk, MPP Digital' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;
}

export interface SignalSourceView {
  id: string;
  mppId: string;
  name: string;
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  /** The last day it reported, and when. */
  lastPingAt: string | null;
}
