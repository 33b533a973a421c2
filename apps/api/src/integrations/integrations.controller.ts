import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth, Roles } from '../common/auth/decorators';
import {
  ConnectionTestResultDto,
  CreateWhatsAppIntegrationDto,
  IntegrationStatusDto,
  ListIntegrationsQueryDto,
  RetestIntegrationDto,
  TestWhatsAppCredentialsDto,
  UpdateIntegrationDto,
} from './dto/integration.dto';
import { IntegrationsService } from './integrations.service';
import { WhatsAppFeatureGuard } from './whatsapp-feature.guard';

@ApiTags('integrations')
@ApiCookieAuth()
@ApiBearerAuth()
@ApiServiceUnavailableResponse({
  description: 'FEATURE_DISABLED: WhatsApp is off (server or workspace)',
})
@UseGuards(WhatsAppFeatureGuard)
@Controller('v1/integrations')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Get()
  @ApiOperation({ summary: "The workspace's integrations, optionally of one chatbot" })
  @ApiOkResponse({ type: [IntegrationStatusDto] })
  list(
    @CurrentAuth() auth: AuthContext,
    @Query() query: ListIntegrationsQueryDto,
  ): Promise<IntegrationStatusDto[]> {
    return this.integrations.list(auth, query.chatbotId);
  }

  @Post('test')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Test WhatsApp credentials without saving (nothing stored, nothing subscribed)',
  })
  @ApiOkResponse({ type: ConnectionTestResultDto, description: 'success false names the field' })
  testCredentials(
    @CurrentAuth() auth: AuthContext,
    @Body() body: TestWhatsAppCredentialsDto,
  ): Promise<ConnectionTestResultDto> {
    return this.integrations.testCredentials(auth, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One integration (never the token or the app secret)' })
  @ApiOkResponse({ type: IntegrationStatusDto })
  @ApiNotFoundResponse()
  get(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<IntegrationStatusDto> {
    return this.integrations.get(auth, id);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Connect a WhatsApp number: test the credentials, subscribe the app, then save',
  })
  @ApiCreatedResponse({ type: IntegrationStatusDto })
  @ApiUnprocessableEntityResponse({
    description:
      'INVALID_CREDENTIALS, PERMISSION_DENIED, INVALID_PHONE_NUMBER, PHONE_NUMBER_MISMATCH… (details.fields)',
  })
  @ApiBadGatewayResponse({
    description: 'CONNECTION_FAILED: Meta could not be reached; nothing saved',
  })
  @ApiConflictResponse({
    description: 'PHONE_NUMBER_ALREADY_CONNECTED or CHATBOT_ALREADY_HAS_WHATSAPP (details.reason)',
  })
  @ApiForbiddenResponse({ description: 'Agents cannot change integrations' })
  create(
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateWhatsAppIntegrationDto,
  ): Promise<IntegrationStatusDto> {
    return this.integrations.create(auth, body);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Edit, rotate the token, disconnect ({isActive:false}) or reconnect; re-tests changed credentials first',
  })
  @ApiOkResponse({ type: IntegrationStatusDto })
  @ApiUnprocessableEntityResponse({
    description: 'The new credentials failed the test; nothing changed',
  })
  @ApiNotFoundResponse()
  update(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateIntegrationDto,
  ): Promise<IntegrationStatusDto> {
    return this.integrations.update(auth, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Delete (conversations stay); unsubscribes the app, best effort' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  remove(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.integrations.remove(auth, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      'Re-test a saved integration and update its status and details; with edited ids, test those with the stored token and store nothing',
  })
  @ApiOkResponse({ type: ConnectionTestResultDto })
  @ApiNotFoundResponse()
  retest(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: RetestIntegrationDto,
  ): Promise<ConnectionTestResultDto> {
    return this.integrations.retest(auth, id, body);
  }
}
