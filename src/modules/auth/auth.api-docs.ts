import type { OperationDoc } from '../../common/http/api-doc';
import { LoginDto } from './auth.dto';

/** The OpenAPI text of auth.controller.ts: who may call each operation, what it changes, examples from the domain. */
export const AUTH_API = {
  login: {
    summary: 'Sign in',
    description:
      'Anyone. Exchanges an email and password for a Bearer token (JWT, 8 h by default). Changes nothing but the login-attempt counters: 60 attempts per address per 5 minutes, an account locks after 10 failures in 15 minutes. Every login and failed login is audited.',
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
} satisfies Record<string, OperationDoc>;
