import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuthCookies } from './auth-cookies';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import {
  KNOWN_LOGIN_SOURCE_MODEL,
  KnownLoginSourceSchema,
  LOGIN_FAILURE_MODEL,
  LoginFailureSchema,
  SESSION_MODEL,
  SessionSchema,
} from './session.schema';
import { SessionsRepository } from './sessions.repository';

/** Sign-in, sessions and the global guard that protects every non-@Public route. */
@Module({
  imports: [
    AccountsModule,
    ApiKeysModule,
    MongooseModule.forFeature([
      { name: SESSION_MODEL, schema: SessionSchema },
      { name: LOGIN_FAILURE_MODEL, schema: LoginFailureSchema },
      { name: KNOWN_LOGIN_SOURCE_MODEL, schema: KnownLoginSourceSchema },
    ]),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    AuthCookies,
    SessionsRepository,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, AuthCookies],
})
export class AuthModule {}
