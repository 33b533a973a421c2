import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { InboxEventView, InboxListResponse } from '@conecta/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth, Roles } from '../common/auth/decorators';
import {
  IdParamDto,
  InboxEventDto,
  InboxListQueryDto,
  InboxListResponseDto,
} from './dto/inbox.dto';
import { InboxService } from './inbox.service';

@ApiTags('whatsapp inbox')
@ApiCookieAuth()
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: "The workspace's WhatsApp webhook events, newest first, by state" })
  @ApiOkResponse({ type: InboxListResponseDto })
  list(
    @CurrentAuth() auth: AuthContext,
    @Query() query: InboxListQueryDto,
  ): Promise<InboxListResponse> {
    return this.inbox.list(auth.workspaceId, query.state, query.limit);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Processes a dead event again, with a fresh attempt budget' })
  @ApiOkResponse({ type: InboxEventDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The event is not dead' })
  replay(@CurrentAuth() auth: AuthContext, @Param() params: IdParamDto): Promise<InboxEventView> {
    return this.inbox.replay(auth.workspaceId, params.id);
  }
}
