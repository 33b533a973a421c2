import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth } from '../common/auth/decorators';
import { IdParamDto } from '../whatsapp-webhook/dto/inbox.dto';
import { MediaService } from './media.service';

@ApiTags('messages')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('v1/messages')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Get(':id/media')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "default-src 'none'; sandbox")
  @Header('Cache-Control', 'private, max-age=3600')
  @ApiOperation({
    summary: "A message's kept file",
    description:
      'Inline only for a sniffed JPEG, PNG, WebP, OGG, MP3, AAC, AMR, MP4 or 3GPP; anything else is ' +
      'an attachment of application/octet-stream. Always nosniff and a sandboxing CSP.',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file' })
  @ApiNotFoundResponse({ description: 'No such message, or its file is not kept (yet)' })
  async file(
    @CurrentAuth() auth: AuthContext,
    @Param() params: IdParamDto,
  ): Promise<StreamableFile> {
    const { headers, stream } = await this.media.open(auth.workspaceId, params.id);
    return new StreamableFile(stream, {
      type: headers['content-type'],
      disposition: headers['content-disposition'],
      length: Number(headers['content-length']),
    });
  }
}
