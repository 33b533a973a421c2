import { Body, Controller, Headers, Param, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { MessageView } from '@conecta/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth } from '../common/auth/decorators';
import { createValidationPipe } from '../common/validation';
import { WhatsAppFeatureGuard } from '../integrations/whatsapp-feature.guard';
import { MessageDto } from '../conversations/dto/conversation-views.dto';
import { AgentRepliesService } from './agent-replies.service';
import { readAgentFileForm } from './agent-file.form';
import { AgentMessageDto } from './dto/agent-message.dto';
import { TemplateSendDto, TemplateStartDto } from './dto/template-send.dto';

/** The JSON body is validated here (not by the global pipe): a multipart request has none. */
const validateJson = createValidationPipe();

@ApiTags('conversations')
@ApiExtraModels(AgentMessageDto)
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('v1/conversations')
export class AgentRepliesController {
  constructor(private readonly replies: AgentRepliesService) {}

  @Post(':id/messages')
  @ApiOperation({
    summary:
      "A team member's reply: stored pending, then sent like the bot's (WhatsApp) or read by the visitor's next poll (web); the bot pauses",
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retried request with the same key stores and sends nothing more',
  })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiNotFoundResponse({ description: 'No such conversation in this workspace' })
  @ApiConflictResponse({ description: 'NO_ACTIVE_INTEGRATION, IDEMPOTENCY_KEY_REUSED' })
  @ApiUnprocessableEntityResponse({
    description:
      'OUTSIDE_CUSTOMER_SERVICE_WINDOW (details.windowEndsAt), or text over 4096 characters',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AgentMessageDto) },
        {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', format: 'binary' },
            caption: { type: 'string', maxLength: 1024 },
          },
        },
      ],
    },
  })
  @ApiPayloadTooLargeResponse({ description: "MEDIA_TOO_LARGE: over Meta's limit for the kind" })
  @ApiUnsupportedMediaTypeResponse({ description: 'MEDIA_TYPE_NOT_ALLOWED' })
  async send(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<MessageView> {
    if (request.isMultipart()) {
      const form = await readAgentFileForm(request);
      return this.replies.sendFile(auth, id, form.file, form.caption, idempotencyKey);
    }
    const message = (await validateJson.transform(body, {
      type: 'body',
      metatype: AgentMessageDto,
    })) as AgentMessageDto;
    return this.replies.send(auth, id, message.content, idempotencyKey);
  }

  @Post(':id/templates')
  @ApiOperation({
    summary:
      'An approved template (also outside the 24-hour window): values checked against the synced template, then sent like any reply',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retried request with the same key stores and sends nothing more',
  })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiNotFoundResponse({ description: 'No such conversation in this workspace' })
  @ApiConflictResponse({
    description:
      'TEMPLATE_NOT_FOUND, TEMPLATE_NOT_APPROVED, NO_ACTIVE_INTEGRATION, IDEMPOTENCY_KEY_REUSED',
  })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: templateParameterCount / templateParameterFormat per field',
  })
  sendTemplate(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: TemplateSendDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<MessageView> {
    return this.replies.sendTemplate(auth, id, body, idempotencyKey);
  }
}

/** A business writes first: only with a template, to a phone number. */
@ApiTags('conversations')
@ApiCookieAuth()
@ApiBearerAuth()
@UseGuards(WhatsAppFeatureGuard)
@Controller('v1/integrations/:id/templates')
export class TemplateStartController {
  constructor(private readonly replies: AgentRepliesService) {}

  @Post('send')
  @ApiOperation({
    summary:
      "Sends an approved template to a phone number (E.164) from this integration's number; finds or creates the customer's conversation",
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retried request with the same key stores and sends nothing more',
  })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiNotFoundResponse({ description: 'No such integration in this workspace' })
  @ApiConflictResponse({
    description: 'TEMPLATE_NOT_FOUND, TEMPLATE_NOT_APPROVED, NO_ACTIVE_INTEGRATION',
  })
  start(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: TemplateStartDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<MessageView> {
    return this.replies.startWithTemplate(auth, id, body, idempotencyKey);
  }
}
