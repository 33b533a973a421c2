import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { TemplateSyncResult, TemplateView } from '@conecta/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth, Roles } from '../common/auth/decorators';
import { WhatsAppFeatureGuard } from '../integrations/whatsapp-feature.guard';
import { TemplatesService } from './templates.service';

@ApiTags('integrations')
@ApiCookieAuth()
@ApiBearerAuth()
@UseGuards(WhatsAppFeatureGuard)
@Controller('v1/integrations/:id/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({ summary: "The WABA's message templates, as last synced for this integration" })
  @ApiNotFoundResponse({ description: 'No such integration in this workspace' })
  list(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<TemplateView[]> {
    return this.templates.list(auth, id);
  }

  @Post('sync')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Reads every page of the WABA’s templates from Meta now' })
  @ApiOkResponse({ description: 'How many templates Meta has, and what changed' })
  sync(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<TemplateSyncResult> {
    return this.templates.sync(auth, id);
  }
}
