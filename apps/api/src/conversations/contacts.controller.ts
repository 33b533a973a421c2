import { Controller, Delete, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { ContactErasureResult, ContactExport } from '@conecta/contracts';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth, Roles } from '../common/auth/decorators';
import { ContactsService } from './contacts.service';
import { ContactParamsDto } from './dto/contact-params.dto';
import { ContactErasureDto, ContactExportDto } from './dto/conversation-views.dto';

/** A person's data: export and erasure (admins, audited). */
@ApiTags('contacts')
@ApiCookieAuth()
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get(':channel/:visitorId')
  @ApiOperation({
    summary: 'Export every conversation and message of one visitor as JSON (admins)',
  })
  @ApiOkResponse({ type: ContactExportDto })
  @ApiForbiddenResponse({ description: 'Agents may not export' })
  export(
    @CurrentAuth() auth: AuthContext,
    @Param() params: ContactParamsDto,
  ): Promise<ContactExport> {
    return this.contacts.export(auth, params.channel, params.visitorId);
  }

  @Delete(':channel/:visitorId')
  @ApiOperation({ summary: 'Erase every conversation and message of one visitor (admins)' })
  @ApiOkResponse({ type: ContactErasureDto })
  @ApiForbiddenResponse({ description: 'Agents may not erase' })
  erase(
    @CurrentAuth() auth: AuthContext,
    @Param() params: ContactParamsDto,
  ): Promise<ContactErasureResult> {
    return this.contacts.erase(auth, params.channel, params.visitorId);
  }
}
