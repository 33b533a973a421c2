import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SESSION_COOKIE } from '@conecta/contracts';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../common/auth/auth-context';
import { AuthCookies } from './auth-cookies';
import { AuthService } from './auth.service';
import { AuthedRequest, CurrentAuth, Public, SameOrigin } from '../common/auth/decorators';
import { ChangePasswordDto, LoginDto, MeDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: AuthCookies,
  ) {}

  @Post('login')
  @Public()
  @SameOrigin()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in: sets the session cookie and the CSRF cookie' })
  @ApiOkResponse({ type: MeDto })
  @ApiUnauthorizedResponse({
    description: 'Invalid email or password (the same answer for unknown emails)',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts for this account or IP' })
  async login(
    @Body() body: LoginDto,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeDto> {
    const result = await this.auth.login(body.email, body.password, req.ip);
    this.cookies.set(reply, result);
    return result.me;
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Sign out: ends the session and clears its cookies' })
  @ApiNoContentResponse()
  async logout(
    @CurrentAuth() auth: AuthContext,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(req.cookies?.[SESSION_COOKIE], auth);
    this.cookies.clear(reply);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiCookieAuth()
  @ApiOperation({
    summary: 'Change your own password: the current one is required; your other sessions end',
  })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'The current password is wrong (reason WRONG_PASSWORD)' })
  changePassword(
    @CurrentAuth() auth: AuthContext,
    @Body() body: ChangePasswordDto,
    @Req() req: AuthedRequest,
  ): Promise<void> {
    return this.auth.changePassword(
      auth,
      req.cookies?.[SESSION_COOKIE],
      body.currentPassword,
      body.newPassword,
    );
  }

  @Get('me')
  @ApiCookieAuth()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user and workspace' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentAuth() auth: AuthContext): Promise<MeDto> {
    return this.auth.me(auth);
  }
}
