import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../common/errors';
import { AgenciesService } from '../agencies/agencies.service';
import { UpdateMppDto } from '../mpps/mpps.dto';
import { MppsService } from '../mpps/mpps.service';
import { RegionsService } from '../regions/regions.service';
import { UpdateUserDto } from '../users/users.dto';
import { UsersService } from '../users/users.service';
import { MppFormErrors, mppFormBody, mppFormErrors, mppFormModel, MppFormValues, mppFormValues, submittedMppForm } from './mpp-form';
import { PageRequest } from './page-session';
import { PageView } from './page-view';
import { formErrorKey, formText, isFormProblem, validForm } from './validate-form';

/** A search box answers at most this many: enough to pick from, never the whole country. */
const SEARCH_LIMIT = 20;

interface MppPageState {
  search?: string;
  values?: MppFormValues;
  errors?: MppFormErrors;
  managerError?: string;
  saved?: string;
  status?: number;
}

interface UserPageState {
  search?: string;
  formError?: string;
  mppError?: string;
  saved?: string;
  status?: number;
}

/**
 * The admin's MPP and user pages: every write goes through the same DTOs and services as the API
 * (PATCH /api/v1/mpps/{id}, PATCH /api/v1/users/{id}); the pages only turn forms into those bodies
 * and the services' refusals into words, per field.
 */
@Injectable()
export class AdminPages {
  constructor(
    private readonly view: PageView,
    private readonly users: UsersService,
    private readonly mpps: MppsService,
    private readonly agencies: AgenciesService,
    private readonly regions: RegionsService,
  ) {}

  async editMpp(req: PageRequest, reply: FastifyReply, id: string, state: MppPageState = {}) {
    const mpp = await this.mpps.get(req.user!, id);
    const search = state.search?.trim().slice(0, 100) ?? '';
    const [agencies, managers, found] = await Promise.all([
      this.agencies.list(),
      this.users.managersOf(id),
      search ? this.users.searchManagers(search, SEARCH_LIMIT) : Promise.resolve([]),
    ]);
    const current = new Set(managers.map((m) => m.id));
    return this.view.render(
      req,
      reply,
      'admin-mpp',
      {
        title: mpp.name,
        mpp,
        form: mppFormModel(state.values ?? mppFormValues(mpp), state.errors ?? {}, agencies),
        managers,
        search,
        found: found.map((m) => ({ ...m, isManager: current.has(m.id) })),
        managerError: state.managerError,
        saved: state.saved,
      },
      state.status ?? 200,
    );
  }

  /** The whole MPP form as one PATCH: nothing is stored when any field is refused. */
  async updateMpp(req: PageRequest, reply: FastifyReply, id: string, form: Record<string, unknown>) {
    let values: MppFormValues | undefined;
    try {
      values = submittedMppForm(form);
      const { body, errors } = mppFormBody(values);
      if (Object.keys(errors).length) return this.editMpp(req, reply, id, { values, errors, status: 400 });
      await this.mpps.update(id, await validForm(UpdateMppDto, body));
      return reply.redirect(`/admin/mpps/${id}?saved=1`, 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      return this.editMpp(req, reply, id, { values, errors: mppFormErrors(e), status: e.statusCode });
    }
  }

  /** "tambahkan" / "lepaskan" beside a manager on the MPP page. */
  async changeManager(req: PageRequest, reply: FastifyReply, mppId: string, form: Record<string, unknown>, change: 'add' | 'remove') {
    await this.mpps.get(req.user!, mppId);
    try {
      await this.users.changeManagedMpp(chosenId(form.userId, 'userId'), mppId, change);
      return reply.redirect(`/admin/mpps/${mppId}?saved=managers`, 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      return this.editMpp(req, reply, mppId, { managerError: managedMppErrorKey(e), status: e.statusCode });
    }
  }

  async editUser(req: PageRequest, reply: FastifyReply, id: string, state: UserPageState = {}) {
    const account = await this.users.get(id);
    const search = state.search?.trim().slice(0, 100) ?? '';
    const [provinces, mpps, found] = await Promise.all([
      this.regions.listProvinces(),
      this.mpps.summaries(req.user!, account.mppIds),
      search && account.role === 'manager' ? this.mpps.search(req.user!, search, SEARCH_LIMIT) : Promise.resolve([]),
    ]);
    const current = new Set(account.mppIds);
    return this.view.render(
      req,
      reply,
      'admin-user',
      {
        title: account.name,
        account,
        provinceName: provinces.find((p) => p.code === account.provinceCode)?.name,
        provinces: provinces.map((p) => ({ code: p.code, name: p.name, selected: p.code === account.provinceCode })),
        mpps,
        search,
        found: found.map((m) => ({ ...m, isManaged: current.has(m.id) })),
        formError: state.formError,
        mppError: state.mppError,
        saved: state.saved,
      },
      state.status ?? 200,
    );
  }

  async updateUser(req: PageRequest, reply: FastifyReply, id: string, form: Record<string, unknown>) {
    try {
      const fields: Record<string, unknown> = { name: formText(form.name), locale: formText(form.locale), active: form.active === 'on' };
      if ('provinceCode' in form) fields.provinceCode = formText(form.provinceCode);
      // The page chooses MPPs by search now; a post that still names them (older form, script) is checked the same way.
      if ('mppIds' in form)
        fields.mppIds =
          formText(form.mppIds)
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean) ?? [];
      await this.users.update(id, await validForm(UpdateUserDto, fields));
      return reply.redirect('/admin?saved=1', 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      return this.editUser(req, reply, id, { formError: formErrorKey(e), status: e.statusCode });
    }
  }

  /** "tambahkan" / "lepaskan" beside an MPP on a manager's page. */
  async changeManagedMpp(req: PageRequest, reply: FastifyReply, userId: string, form: Record<string, unknown>, change: 'add' | 'remove') {
    try {
      const mppId = chosenId(form.mppId, 'mppIds');
      await this.mpps.get(req.user!, mppId).catch((e) => {
        // An MPP that is not there is a refused choice on this page, not a missing page.
        throw e instanceof AppError && e.statusCode === 404
          ? AppError.validation('unknown MPP', [{ field: 'mppIds', problem: 'unknown MPP' }])
          : e;
      });
      await this.users.changeManagedMpp(userId, mppId, change);
      return reply.redirect(`/admin/users/${userId}?saved=mpps`, 303);
    } catch (e) {
      if (!isFormProblem(e)) throw e;
      return this.editUser(req, reply, userId, { mppError: managedMppErrorKey(e), status: e.statusCode });
    }
  }
}

/** The id a search result's button posts; anything else is a refused choice (400). */
function chosenId(value: unknown, field: string): string {
  const id = formText(value);
  if (!id || !isUUID(id)) throw AppError.validation(`${field} must be an id`, [{ field, problem: 'not an id' }]);
  return id;
}

/** Words for a refused manager change: the last MPP of a manager, or a choice that is not one. */
function managedMppErrorKey(e: AppError): string {
  if (e.details.some((d) => d.problem === 'last_mpp')) return 'error.field.lastMpp';
  return 'error.field.managedMpp';
}
