import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { RateLimiter } from '../../common/rate-limiter';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CheckInLinks } from './check-in-links';
import { LoginLocksController } from './login-locks.controller';
import { SpentLinksRepository } from './spent-links.repository';

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwt.secret,
        signOptions: { expiresIn: config.jwt.expiresIn, algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController, LoginLocksController],
  providers: [AuthService, RateLimiter, CheckInLinks, SpentLinksRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, RateLimiter, CheckInLinks],
})
export class AuthModule {}
