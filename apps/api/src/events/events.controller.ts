import { Controller, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import type { AuthContext } from '../common/auth/auth-context';
import { CurrentAuth } from '../common/auth/decorators';
import { AppError } from '../common/errors/app-error';
import { EventsService } from './events.service';

/** The stream takes no query parameters: any is refused (400) like an unknown field anywhere else. */
class EventsQueryDto {}

@ApiTags('events')
@ApiCookieAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Sse()
  @ApiOperation({
    summary:
      'Server-Sent Events of the workspace: new messages, delivery statuses, conversation changes (signed-in users only)',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'A stream of `WorkspaceEvent`s, one JSON per `data:` line' })
  stream(
    @CurrentAuth() auth: AuthContext,
    @Query() _query: EventsQueryDto,
  ): Observable<MessageEvent> {
    if (!auth.userId) throw new AppError('FORBIDDEN', 'The event stream is for signed-in users');
    return this.events
      .stream(auth.workspaceId)
      .pipe(map((event) => ({ id: event.id, type: event.type, data: event })));
  }
}
