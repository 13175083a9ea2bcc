import { CreateRegistry1764300000000 } from './1764300000000-CreateRegistry';
import { CreateWeeklyCycle1764300100000 } from './1764300100000-CreateWeeklyCycle';
import { CreateNotifications1764300200000 } from './1764300200000-CreateNotifications';
import { CreateReports1764300300000 } from './1764300300000-CreateReports';
import { EvaluationsWithoutMppKey1764300400000 } from './1764300400000-EvaluationsWithoutMppKey';
import { AuditEveryWrite1764300500000 } from './1764300500000-AuditEveryWrite';
import { RevocableSessionsAndSingleUseLinks1764300600000 } from './1764300600000-RevocableSessionsAndSingleUseLinks';
import { TokenBucketRateLimits1764300700000 } from './1764300700000-TokenBucketRateLimits';
import { AuditHashChain1764300800000 } from './1764300800000-AuditHashChain';
import { NotExpectedResult1764300900000 } from './1764300900000-NotExpectedResult';
import { ApproveClosures1764301100000 } from './1764301100000-ApproveClosures';
import { RetireMpps1764301110000 } from './1764301110000-RetireMpps';
import { FollowUpFlags1764301200000 } from './1764301200000-FollowUpFlags';
import { SupportNationalRollout1764301300000 } from './1764301300000-SupportNationalRollout';
import { CreateSignalSources1764301400000 } from './1764301400000-CreateSignalSources';
import { RecordCitizenReports1764301500000 } from './1764301500000-RecordCitizenReports';
import { RecordTenantsServing1764301600000 } from './1764301600000-RecordTenantsServing';
import { ManagerReceiptsAndFridayReminders1764301700000 } from './1764301700000-ManagerReceiptsAndFridayReminders';
import { RecordMppCoordinates1764301900000 } from './1764301900000-RecordMppCoordinates';
import { CountDisputesInReports1764302100000 } from './1764302100000-CountDisputesInReports';
import { IndexFirstMppOfRegency1764302500000 } from './1764302500000-IndexFirstMppOfRegency';
import { IndexPublicStatusVersion1764302700000 } from './1764302700000-IndexPublicStatusVersion';
import { IndexSignalDaysByDate1764303100000 } from './1764303100000-IndexSignalDaysByDate';
import { KeepSignalWeeks1764303500000 } from './1764303500000-KeepSignalWeeks';
import { IndexFlagsUpdatedAt1764303600000 } from './1764303600000-IndexFlagsUpdatedAt';
import { IndexMppsRegistryOrder1764303700000 } from './1764303700000-IndexMppsRegistryOrder';
import { AlignFlagProvinces1764303800000 } from './1764303800000-AlignFlagProvinces';
import { IndexFlagsByMpp1764303900000 } from './1764303900000-IndexFlagsByMpp';
import { KeepRegistryVersion1764304000000 } from './1764304000000-KeepRegistryVersion';
import { KeepFlagsVersion1764304100000 } from './1764304100000-KeepFlagsVersion';

/** Listed explicitly so the same list works compiled (dist) and under Jest/swc. */
export const migrations = [
  CreateRegistry1764300000000,
  CreateWeeklyCycle1764300100000,
  CreateNotifications1764300200000,
  CreateReports1764300300000,
  EvaluationsWithoutMppKey1764300400000,
  AuditEveryWrite1764300500000,
  RevocableSessionsAndSingleUseLinks1764300600000,
  TokenBucketRateLimits1764300700000,
  AuditHashChain1764300800000,
  NotExpectedResult1764300900000,
  ApproveClosures1764301100000,
  RetireMpps1764301110000,
  FollowUpFlags1764301200000,
  SupportNationalRollout1764301300000,
  CreateSignalSources1764301400000,
  RecordCitizenReports1764301500000,
  RecordTenantsServing1764301600000,
  ManagerReceiptsAndFridayReminders1764301700000,
  RecordMppCoordinates1764301900000,
  CountDisputesInReports1764302100000,
  IndexFirstMppOfRegency1764302500000,
  IndexPublicStatusVersion1764302700000,
  IndexSignalDaysByDate1764303100000,
  KeepSignalWeeks1764303500000,
  IndexFlagsUpdatedAt1764303600000,
  IndexMppsRegistryOrder1764303700000,
  AlignFlagProvinces1764303800000,
  IndexFlagsByMpp1764303900000,
  KeepRegistryVersion1764304000000,
  KeepFlagsVersion1764304100000,
];
