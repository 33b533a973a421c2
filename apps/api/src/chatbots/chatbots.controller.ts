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
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth, Roles } from '../common/auth/decorators';
import { ChatbotsService, toChatbotView } from './chatbots.service';
import { ChatbotDto, CreateChatbotDto, UpdateChatbotDto } from './dto/chatbot.dto';

@ApiTags('chatbots')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('v1/chatbots')
export class ChatbotsController {
  constructor(private readonly chatbots: ChatbotsService) {}

  @Get()
  @ApiOperation({ summary: "The workspace's chatbots" })
  @ApiOkResponse({ type: [ChatbotDto] })
  async list(@CurrentAuth() auth: AuthContext): Promise<ChatbotDto[]> {
    return (await this.chatbots.list(auth.workspaceId)).map(toChatbotView);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One chatbot' })
  @ApiOkResponse({ type: ChatbotDto })
  @ApiNotFoundResponse({ description: 'No such chatbot in this workspace' })
  async get(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<ChatbotDto> {
    return toChatbotView(await this.chatbots.get(auth.workspaceId, id));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a chatbot (admins)' })
  @ApiCreatedResponse({ type: ChatbotDto })
  @ApiForbiddenResponse({ description: 'Agents cannot change chatbots' })
  async create(
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateChatbotDto,
  ): Promise<ChatbotDto> {
    return toChatbotView(await this.chatbots.create(auth, body));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a chatbot (admins); only the fields sent change' })
  @ApiOkResponse({ type: ChatbotDto })
  @ApiForbiddenResponse({ description: 'Agents cannot change chatbots' })
  @ApiNotFoundResponse({ description: 'No such chatbot in this workspace' })
  async update(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateChatbotDto,
  ): Promise<ChatbotDto> {
    return toChatbotView(await this.chatbots.update(auth, id, body));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a chatbot (admins)' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'Agents cannot change chatbots' })
  @ApiNotFoundResponse({ description: 'No such chatbot in this workspace' })
  delete(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.chatbots.delete(auth, id);
  }
}
