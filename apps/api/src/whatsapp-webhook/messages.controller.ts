import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { MessageRetryResponse } from '@conecta/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth, Roles } from '../common/auth/decorators';
import { IdParamDto, MessageRetryResponseDto } from './dto/inbox.dto';
import { MessageDeliveryService } from './message-delivery.service';

@ApiTags('messages')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('v1/messages')
export class MessagesController {
  constructor(private readonly delivery: MessageDeliveryService) {}

  @Post(':id/retry')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sends a failed WhatsApp reply again' })
  @ApiOkResponse({ type: MessageRetryResponseDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Not a failed reply, or the number is not connected' })
  @ApiUnprocessableEntityResponse({
    description:
      'Outside the 24-hour customer-service window, or Meta refused the credentials or the number',
  })
  @ApiBadGatewayResponse({ description: 'Meta failed the send; the code is its error type' })
  retry(
    @CurrentAuth() auth: AuthContext,
    @Param() params: IdParamDto,
  ): Promise<MessageRetryResponse> {
    return this.delivery.retry(auth.workspaceId, params.id);
  }
}
