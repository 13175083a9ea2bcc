import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { AuthModule } from '../auth/auth.module';
import { AdminPagesController } from './admin-pages.controller';
import { AdminPages } from './admin-pages.service';
import { CalendarModule } from '../calendar/calendar.module';
import { CheckInsModule } from '../check-ins/check-ins.module';
import { CyclesModule } from '../cycles/cycles.module';
import { FlagsModule } from '../flags/flags.module';
import { MppsModule } from '../mpps/mpps.module';
import { RegionsModule } from '../regions/regions.module';
import { ReportsModule } from '../reports/reports.module';
import { UsersModule } from '../users/users.module';
import { CheckInPagesController } from './check-in-pages.controller';
import { CheckInPages } from './check-in-pages.service';
import { OversightPagesController } from './oversight-pages.controller';
import { OversightPages } from './oversight-pages.service';
import { PageTexts } from './page-i18n';
import { PageErrorFilter, PageGuard } from './page-session';
import { PageEngine } from './page-engine';
import { PageView } from './page-view';
import { PagesController } from './pages.controller';
import { PasswordPagesController } from './password-pages.controller';
import { CitizenReportsModule } from '../citizen-reports/citizen-reports.module';
import { PublicStatusModule } from '../public-status/public-status.module';
import { RegistryModule } from '../registry/registry.module';
import { RegistryPagesController } from './registry-pages.controller';
import { RegistryPages } from './registry-pages.service';
import { StatusPagesController } from './status-pages.controller';

/** Server-rendered pages in Bahasa Indonesia (English on request) for every role's weekly job. */
@Module({
  imports: [
    AuthModule,
    UsersModule,
    MppsModule,
    CheckInsModule,
    CyclesModule,
    FlagsModule,
    ReportsModule,
    RegionsModule,
    PublicStatusModule,
    CitizenReportsModule,
    RegistryModule,
    AgenciesModule,
    CalendarModule,
  ],
  controllers: [
    PagesController,
    CheckInPagesController,
    OversightPagesController,
    PasswordPagesController,
    StatusPagesController,
    RegistryPagesController,
    AdminPagesController,
  ],
  providers: [
    PageView,
    PageEngine,
    PageGuard,
    PageErrorFilter,
    CheckInPages,
    OversightPages,
    RegistryPages,
    AdminPages,
    { provide: PageTexts, useValue: new PageTexts() },
  ],
})
export class PagesModule {}
