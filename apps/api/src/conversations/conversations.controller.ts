import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type {
  ConversationCounts,
  ConversationListItem,
  ConversationView,
  CursorPage,
  MessagePage,
} from '@conecta/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth } from '../common/auth/decorators';
import { ConversationsService } from './conversations.service';
import {
  CountsQueryDto,
  ListConversationsQueryDto,
  ListMessagesQueryDto,
} from './dto/conversation-query.dto';
import {
  AssigneeDto,
  ConversationCountsDto,
  ConversationDto,
  ConversationPageDto,
  MessagePageDto,
} from './dto/conversation-views.dto';
import { AssignConversationDto, BotSwitchRequestDto } from './dto/handling.dto';
import { UpdateConversationDto } from './dto/update-conversation.dto';

@ApiTags('conversations')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('v1/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Conversations of every channel, newest activity first (cursor-paged, phones masked)',
  })
  @ApiOkResponse({ type: ConversationPageDto })
  list(
    @CurrentAuth() auth: AuthContext,
    @Query() query: ListConversationsQueryDto,
  ): Promise<CursorPage<ConversationListItem>> {
    return this.conversations.list(auth.workspaceId, query, auth.userId);
  }

  @Get('counts')
  @ApiOperation({ summary: 'Conversations per channel and per state, mine and unassigned' })
  @ApiOkResponse({ type: ConversationCountsDto })
  counts(
    @CurrentAuth() auth: AuthContext,
    @Query() query: CountsQueryDto,
  ): Promise<ConversationCounts> {
    return this.conversations.counts(auth.workspaceId, query.chatbotId, auth.userId);
  }

  @Get('assignees')
  @ApiOperation({ summary: 'The active users a conversation can be assigned to' })
  @ApiOkResponse({ type: [AssigneeDto] })
  assignees(@CurrentAuth() auth: AuthContext): Promise<AssigneeDto[]> {
    return this.conversations.assignees(auth.workspaceId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiNotFoundResponse({ description: 'No such conversation in this workspace' })
  get(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<ConversationView> {
    return this.conversations.view(auth.workspaceId, id, auth.userId);
  }

  @Get(':id/messages')
  @ApiOperation({
    summary: 'Messages of a conversation: newest page first, oldest first within a page',
  })
  @ApiOkResponse({ type: MessagePageDto })
  @ApiNotFoundResponse({ description: 'No such conversation in this workspace' })
  messages(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Query() query: ListMessagesQueryDto,
  ): Promise<MessagePage> {
    return this.conversations.messages(auth.workspaceId, id, query, auth.userId);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Favorite; `status` closes, reopens or takes a conversation' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiNotFoundResponse({ description: 'No such conversation in this workspace' })
  update(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateConversationDto,
  ): Promise<ConversationView> {
    return this.conversations.update(auth, id, body);
  }

  @Post(':id/take')
  @HttpCode(200)
  @ApiOperation({ summary: 'The signed-in user takes the conversation (the bot pauses)' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiConflictResponse({ description: 'NOT_A_USER: an API key cannot take a conversation' })
  take(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<ConversationView> {
    return this.conversations.take(auth, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a user of the workspace, or unassign (null)' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiConflictResponse({ description: 'UNKNOWN_ASSIGNEE' })
  assign(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: AssignConversationDto,
  ): Promise<ConversationView> {
    return this.conversations.assign(auth, id, body.userId);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the conversation (a new customer message opens it again)' })
  @ApiOkResponse({ type: ConversationDto })
  close(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<ConversationView> {
    return this.conversations.close(auth, id);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Open the conversation again, for the bot' })
  @ApiOkResponse({ type: ConversationDto })
  reopen(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<ConversationView> {
    return this.conversations.reopen(auth, id);
  }

  @Put(':id/bot')
  @ApiOperation({
    summary: 'Pause the bot of this conversation (optionally until a time) or resume it',
  })
  @ApiOkResponse({ type: ConversationDto })
  bot(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: BotSwitchRequestDto,
  ): Promise<ConversationView> {
    const paused = body.state === 'paused';
    const until = paused && body.pausedUntil ? new Date(body.pausedUntil) : null;
    return this.conversations.setBot(auth, id, paused, until);
  }
}
