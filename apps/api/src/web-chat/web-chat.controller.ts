import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Get,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { PublicChatPollResponse, PublicChatResponse } from '@conecta/contracts';
import type { FastifyRequest } from 'fastify';
import { Public } from '../common/auth/decorators';
import {
  PublicChatDto,
  PublicChatPollQueryDto,
  PublicChatPollResponseDto,
  PublicChatResponseDto,
} from './dto/public-chat.dto';
import { PublicChatRateLimitGuard } from './public-chat-rate-limit.guard';
import { WebChatService } from './web-chat.service';

@ApiTags('public chat')
@Controller('v1/public/chatbots')
export class WebChatController {
  constructor(private readonly webChat: WebChatService) {}

  @Post(':publicId/messages')
  @Public()
  @UseGuards(PublicChatRateLimitGuard)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Send a visitor's message to a chatbot's public chat and get the reply (no sign-in)",
  })
  @ApiOkResponse({ type: PublicChatResponseDto })
  @ApiNotFoundResponse({ description: 'No chatbot with this public id, or its public chat is off' })
  @ApiTooManyRequestsResponse({ description: 'Too many messages from this IP' })
  send(
    @Param('publicId') publicId: string,
    @Body() body: PublicChatDto,
    @Req() request: FastifyRequest,
  ): Promise<PublicChatResponse> {
    return this.webChat.send(publicId, body, request.ip);
  }

  @Get(':publicId/messages')
  @Public()
  @UseGuards(PublicChatRateLimitGuard)
  @ApiOperation({
    summary: "The team's replies in a visitor's conversation since a time (no sign-in)",
  })
  @ApiOkResponse({ type: PublicChatPollResponseDto })
  @ApiNotFoundResponse({ description: 'No chatbot with this public id, or its public chat is off' })
  poll(
    @Param('publicId') publicId: string,
    @Query() query: PublicChatPollQueryDto,
  ): Promise<PublicChatPollResponse> {
    return this.webChat.poll(publicId, query.sessionId, new Date(query.after));
  }
}
