import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthContext } from '../common/auth/auth-context';
import { AuthCookies } from '../auth/auth-cookies';
import { AuthedRequest, CurrentAuth, Public, Roles, SameOrigin } from '../common/auth/decorators';
import { MeDto } from '../auth/dto/auth.dto';
import {
  AcceptInvitationDto,
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationDto,
  InvitationPreviewDto,
  TeamUserDto,
  UpdateUserDto,
} from './dto/team.dto';
import { TeamService } from './team.service';

const LAST_ADMIN = 'The workspace would be left without an active admin (reason LAST_ADMIN)';

@ApiTags('team')
@ApiCookieAuth()
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly team: TeamService) {}

  @Get()
  @ApiOperation({ summary: "The workspace's users" })
  @ApiOkResponse({ type: [TeamUserDto] })
  list(@CurrentAuth() auth: AuthContext): Promise<TeamUserDto[]> {
    return this.team.listUsers(auth);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's role" })
  @ApiOkResponse({ type: TeamUserDto })
  @ApiConflictResponse({ description: LAST_ADMIN })
  update(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<TeamUserDto> {
    return this.team.changeRole(auth, id, body.role);
  }

  @Post(':id/deactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Deactivate a user: their sessions and API keys stop working at once' })
  @ApiOkResponse({ type: TeamUserDto })
  @ApiConflictResponse({ description: LAST_ADMIN })
  deactivate(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<TeamUserDto> {
    return this.team.deactivate(auth, id);
  }

  @Post(':id/reactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reactivate a user' })
  @ApiOkResponse({ type: TeamUserDto })
  reactivate(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<TeamUserDto> {
    return this.team.reactivate(auth, id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a user: sessions end and the keys they created are revoked' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No such user in this workspace' })
  @ApiConflictResponse({ description: LAST_ADMIN })
  remove(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.team.remove(auth, id);
  }
}

@ApiTags('team')
@ApiCookieAuth()
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/invitations')
export class InvitationsController {
  constructor(private readonly team: TeamService) {}

  @Get()
  @ApiOperation({ summary: 'Invitations not yet used, revoked or expired' })
  @ApiOkResponse({ type: [InvitationDto] })
  list(@CurrentAuth() auth: AuthContext): Promise<InvitationDto[]> {
    return this.team.listInvitations(auth);
  }

  @Post()
  @ApiOperation({
    summary: 'Invite a person by email with a role; the answer holds the single-use link token',
  })
  @ApiCreatedResponse({ type: CreatedInvitationDto })
  @ApiConflictResponse({ description: 'A user with this email exists (reason EMAIL_TAKEN)' })
  create(
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateInvitationDto,
  ): Promise<CreatedInvitationDto> {
    return this.team.invite(auth, body.email, body.role);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an invitation: its link stops working' })
  @ApiNoContentResponse()
  revoke(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.team.revokeInvitation(auth, id);
  }
}

@ApiTags('team')
@Controller('v1/public/invitations')
export class PublicInvitationsController {
  constructor(
    private readonly team: TeamService,
    private readonly cookies: AuthCookies,
  ) {}

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'What an invitation link offers (workspace, email, role)' })
  @ApiOkResponse({ type: InvitationPreviewDto })
  @ApiConflictResponse({ description: 'Used (INVITATION_USED) or expired (INVITATION_EXPIRED)' })
  preview(@Param('token') token: string): Promise<InvitationPreviewDto> {
    return this.team.preview(token);
  }

  @Post('accept')
  @Public()
  @SameOrigin()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Use an invitation: set a name and password, and be signed in' })
  @ApiOkResponse({ type: MeDto })
  @ApiConflictResponse({ description: 'Used (INVITATION_USED) or expired (INVITATION_EXPIRED)' })
  async accept(
    @Body() body: AcceptInvitationDto,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeDto> {
    const result = await this.team.accept(body.token, body.name, body.password, req.ip);
    this.cookies.set(reply, result);
    return result.me;
  }
}
