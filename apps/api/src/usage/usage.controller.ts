import { Body, Controller, Get, Put, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { RateCardView, UsageView } from '@conecta/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth, Roles } from '../common/auth/decorators';
import { RateCardDto } from './dto/rate-card.dto';
import { RateCardService } from './rate-card.service';
import { WhatsAppFeatureGuard } from '../integrations/whatsapp-feature.guard';
import { UsageQueryDto } from './dto/usage-query.dto';
import { UsageService } from './usage.service';

@ApiTags('usage')
@ApiCookieAuth()
@ApiBearerAuth()
@UseGuards(WhatsAppFeatureGuard)
@Controller('v1/usage')
export class UsageController {
  constructor(
    private readonly usage: UsageService,
    private readonly rateCard: RateCardService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "One number's delivered messages in a month by Meta's pricing category and country calling code, billable and free (from status webhooks' pricing)",
  })
  @ApiNotFoundResponse({ description: 'No such integration in this workspace' })
  get(@CurrentAuth() auth: AuthContext, @Query() query: UsageQueryDto): Promise<UsageView> {
    return this.usage.usage(auth, query.integrationId, query.month);
  }

  @Get('rate-card')
  @ApiOperation({
    summary:
      "The workspace's own prices per delivered message by category and country calling code (empty until saved: Meta publishes the rates)",
  })
  @ApiOkResponse({ description: 'The card; `rates` empty and `updatedAt` null when never saved' })
  getRateCard(@CurrentAuth() auth: AuthContext): Promise<RateCardView> {
    return this.rateCard.get(auth.workspaceId);
  }

  @Put('rate-card')
  @Roles('admin')
  @ApiOperation({ summary: 'Replaces the rate card (audited); the usage view estimates with it' })
  @ApiOkResponse({ description: 'The card as saved' })
  putRateCard(@CurrentAuth() auth: AuthContext, @Body() body: RateCardDto): Promise<RateCardView> {
    return this.rateCard.save(auth, body);
  }
}
