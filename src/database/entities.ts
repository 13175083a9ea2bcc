import { Mpp, MppTenant } from '../modules/mpps/mpp.entities';
import { Province, Regency } from '../modules/regions/region.entities';
import { User } from '../modules/users/user.entity';

export const entities = [Province, Regency, Mpp, MppTenant, User];
