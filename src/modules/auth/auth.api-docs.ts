import type { OperationDoc } from '../../common/http/api-doc';
import { ForgotPasswordDto, LoginDto, ResetPasswordDto } from './auth.dto';

/** The OpenAPI text of auth.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const AUTH_API = {
  login: {
    summary: 'Sign in',
    description:
      'Anyone. Exchanges an email and password for a Bearer token (JWT, 8 h by default). Changes nothing but the login-attempt buckets (counted before the password is checked): 60 per address, then one per 5 s; 10 per account and address, then one per 90 s; 100 per account from all addresses, then one per 36 s. Every login and failed login is audited.',
    body: {
      type: LoginDto,
      example: {
        email: 'pengelola.5371@mpp.demo',
        password: 'Demo-MPP-2026!',
      },
    },
    response: {
      accessToken:
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkNWI5ZGFmYy01OTM2LTQ5ZjAtOTZiZi00MDlmYWMxYzUwOWUiLCJyb2xlIjoiYWRtaW4iLCJpYXQiOjE3OTYxMjk4NzksImV4cCI6MTc5NjE1ODY3OX0.lhIo25SFk8ec_ViJ9-heNryzBl6YWfQas2-hwWI7HgM',
      tokenType: 'Bearer',
      expiresIn: 28800,
    },
    public: true,
    errors: [400, 429],
  },
  logout: {
    summary: 'Sign out everywhere',
    description:
      'Any signed-in user. Ends every session of the caller: all its tokens and page sessions issued before now stop working (the user’s token version is bumped). Audited as auth.logout.',
    status: 204,
    responseDescription: 'Every session of the user has ended',
  },
  unlock: {
    summary: 'Lift the login delay of an account',
    description:
      'Admin. Refills every login-attempt bucket of the account (all addresses), so its owner can sign in at once after someone else’s guessing slowed it down. Audited as user.unlock.',
    status: 204,
    responseDescription: 'The account may sign in again at once',
    errors: [400, 403, 404],
  },
  forgotPassword: {
    summary: 'Ask for a password reset link',
    description:
      'Anyone. Answers 202 whatever the email (no enumeration); when it names an active account, an email with a single-use link valid one hour is queued (outbox). Limited per address (20 an hour, then 429) and per account (3 an hour, then silently nothing). Audited.',
    status: 202,
    body: { type: ForgotPasswordDto, example: { email: 'pengelola.5371@mpp.demo' } },
    responseDescription: 'Accepted; an email follows if the account exists',
    public: true,
    errors: [400, 429],
  },
  resetPassword: {
    summary: 'Set a password with an emailed link',
    description:
      'Anyone holding the link of an invitation (7 days) or a reset email (1 hour): its `token` query parameter and the new password. The token works once; every session of the user ends. Audited as user.password_set.',
    status: 204,
    body: {
      type: ResetPasswordDto,
      example: { token: 'q4Yb0m2y1ZtW3v0sC8rKxJ9nE6uA5pLgHfDdTiOoQwM', password: 'Sandi-Baru-Pengelola-2026' },
    },
    responseDescription: 'The password is set; older sessions have ended',
    public: true,
    errors: [400],
  },
} satisfies Record<string, OperationDoc>;
