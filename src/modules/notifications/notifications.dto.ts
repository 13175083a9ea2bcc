import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsIsoWeek } from '../../common/time/iso-week.pipe';
import { NOTIFICATION_KINDS, NOTIFICATION_STATES, NotificationKind, NotificationState } from './notification.types';

export class NotificationQuery {
  @IsOptional()
  @IsIsoWeek()
  week?: string;

  @ApiProperty({ enum: NOTIFICATION_KINDS, required: false })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  kind?: NotificationKind;

  @ApiProperty({ enum: NOTIFICATION_STATES, required: false })
  @IsOptional()
  @IsIn(NOTIFICATION_STATES)
  status?: NotificationState;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  week: string;
  scope: string;
  locale: string;
  recipients: string[];
  status: NotificationState;
  attempts: number;
  maxAttempts: number;
  subject: string | null;
  messageId: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}
