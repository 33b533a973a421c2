import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type {
  ChannelCounts,
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
  ChannelCountsDto,
  ConversationDto,
  ConversationPageDto,
  MessagePageDto,
} from './dto/conversation-views.dto';
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
    return this.conversations.list(auth.workspaceId, query);
  }

  @Get('counts')
  @ApiOperation({ summary: 'Conversations per channel, for the channel filter' })
  @ApiOkResponse({ type: ChannelCountsDto })
  counts(@CurrentAuth() auth: AuthContext, @Query() query: CountsQueryDto): Promise<ChannelCounts> {
    return this.conversations.counts(auth.workspaceId, query.chatbotId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiNotFoundResponse({ description: 'No such conversation in this workspace' })
  get(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<ConversationView> {
    return this.conversations.view(auth.workspaceId, id);
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
    return this.conversations.messages(auth.workspaceId, id, query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Favorite, close or reopen a conversation' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiNotFoundResponse({ description: 'No such conversation in this workspace' })
  update(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateConversationDto,
  ): Promise<ConversationView> {
    return this.conversations.update(auth.workspaceId, id, body);
  }
}
