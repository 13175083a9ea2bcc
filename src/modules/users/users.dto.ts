import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Role, ROLES } from '../../common/auth/principal';

export class CreateUserDto {
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** Without it the user is `invited`: an email carries a single-use link (7 days) to set one. */
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  /** Required for `bureau`. */
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' })
  provinceCode?: string;

  /** Required for `manager`. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  mppIds?: string[];

  @IsOptional()
  @IsIn(['id', 'en'])
  locale?: 'id' | 'en';

  /** A phone number the bureau can call (managers especially); optional. */
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{6,30}$/, { message: 'phone must be a phone number (digits, spaces, +, -, parentheses)' })
  phone?: string;
}

export class UpdateUserDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' })
  provinceCode?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  mppIds?: string[];

  @IsOptional()
  @IsIn(['id', 'en'])
  locale?: 'id' | 'en';

  /** A phone number the bureau can call (managers especially); optional. */
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{6,30}$/, { message: 'phone must be a phone number (digits, spaces, +, -, parentheses)' })
  phone?: string;
}

export class UserQuery {
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @Matches(/^\d{2}$/)
  province?: string;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  provinceCode: string | null;
  mppIds: string[];
  active: boolean;
  /** `invited`: has not set a password yet; `inactive`: deactivated. */
  status: 'active' | 'invited' | 'inactive';
  phone: string | null;
  locale: 'id' | 'en';
  createdAt: string;
  updatedAt: string;
}

/** A manager as the admin pages list one: to choose, add or remove. */
export interface ManagerSummary {
  id: string;
  name: string;
  email: string;
}
