import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth, Roles } from '../common/auth/decorators';
import { DemoService } from './demo.service';
import {
  DemoInboundDto,
  DemoInboundResultDto,
  DemoInfoDto,
  DemoNoticeDto,
  DemoNoticeResultDto,
} from './dto/demo.dto';

@ApiTags('demo')
@ApiCookieAuth()
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/demo')
export class DemoController {
  constructor(private readonly demo: DemoService) {}

  @Get()
  @ApiOperation({
    summary: 'Demo mode and its WhatsApp credentials ({enabled:false} outside demo mode)',
  })
  @ApiOkResponse({ type: DemoInfoDto })
  info(@CurrentAuth() auth: AuthContext): DemoInfoDto {
    return this.demo.info(auth);
  }

  @Post('whatsapp/inbound')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make the fake Meta send a signed inbound WhatsApp message to our webhook',
  })
  @ApiOkResponse({ type: DemoInboundResultDto })
  @ApiNotFoundResponse({ description: 'Not in demo mode' })
  @ApiConflictResponse({ description: 'DEMO_NUMBER_NOT_CONNECTED' })
  inbound(
    @CurrentAuth() auth: AuthContext,
    @Body() body: DemoInboundDto,
  ): Promise<DemoInboundResultDto> {
    return this.demo.inbound(auth, body);
  }

  @Post('whatsapp/notice')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Make the fake Meta send a signed management webhook (quality, template, alert, restriction) about the demo account',
  })
  @ApiOkResponse({ type: DemoNoticeResultDto })
  @ApiNotFoundResponse({ description: 'Not in demo mode' })
  @ApiConflictResponse({ description: 'DEMO_NUMBER_NOT_CONNECTED' })
  notice(
    @CurrentAuth() auth: AuthContext,
    @Body() body: DemoNoticeDto,
  ): Promise<DemoNoticeResultDto> {
    return this.demo.notice(auth, body);
  }
}
