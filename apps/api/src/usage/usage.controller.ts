import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { UsageView } from '@conecta/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth } from '../common/auth/decorators';
import { WhatsAppFeatureGuard } from '../integrations/whatsapp-feature.guard';
import { UsageQueryDto } from './dto/usage-query.dto';
import { UsageService } from './usage.service';

@ApiTags('usage')
@ApiCookieAuth()
@ApiBearerAuth()
@UseGuards(WhatsAppFeatureGuard)
@Controller('v1/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @ApiOperation({
    summary:
      "One number's delivered messages in a month by Meta's pricing category and country calling code, billable and free (from status webhooks' pricing)",
  })
  @ApiNotFoundResponse({ description: 'No such integration in this workspace' })
  get(@CurrentAuth() auth: AuthContext, @Query() query: UsageQueryDto): Promise<UsageView> {
    return this.usage.usage(auth, query.integrationId, query.month);
  }
}
