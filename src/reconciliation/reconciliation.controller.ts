import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/auth.decorators';
import { AcknowledgeDto } from './dto/acknowledge.dto';
import { ListRunsQuery } from './dto/list-runs.query';
import { StartRunDto } from './dto/start-run.dto';
import { ReconciliationReportsService } from './reconciliation-reports.service';
import { ReconciliationService } from './reconciliation.service';
import { renderCsv } from './report/csv.renderer';
import { renderHtml } from './report/html.renderer';
import {
  AcknowledgementView,
  RunDetailView,
  RunListView,
  StartedRunView,
} from './report/run.views';

const error = (code: string, message: string) => ({
  schema: {
    example: { code, message, retryable: false, requestId: '6f1c0e8e-4c1b-4f7a-9a57-2f7f1d3f9b10' },
  },
});
const RUN_ID = { name: 'id', format: 'uuid', example: '3b0f6d1e-5a7c-4f3e-9d2b-8c1a0e4f7b62' };
const CSV_EXAMPLE =
  'record_type,run_id,discrepancy_id,transaction_id,product,country,operation,outcome,side,...,count\r\n' +
  'item,3b0f6d1e-…,5e2d1c0b-…,9d5c2a1b-…,collection,UG,requestToPay,MISMATCH,,SUCCESSFUL,SUCCESSFUL,SUCCESSFUL,,1000,UGX,EUR,990,EUR,ORDER_12345,…\r\n' +
  'count,3b0f6d1e-…,,,collection,UG,,MATCHED,,…,830\r\n' +
  'total,3b0f6d1e-…,,,,,,,gateway,…,41250000,UGX,…,812\r\n';

/** Reconciliation with MTN: start runs, read their reports, acknowledge what a person has checked. */
@ApiTags('reconciliation')
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly reports: ReconciliationReportsService,
  ) {}

  @Post('runs')
  @HttpCode(202)
  @RequireScope('reconciliation:write')
  @ApiOperation({
    summary: 'Start a reconciliation run now; it goes on in the background (poll GET /runs/{id})',
    description:
      'At most one run per window is RUNNING across all replicas: starting one that is already running answers that run with `created: false`.',
  })
  @ApiAcceptedResponse({ type: StartedRunView })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: unknown kind, or a window that is not allowed for it',
    ...error('VALIDATION_FAILED', 'The request is not valid'),
  })
  async start(
    @Body() body: StartRunDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StartedRunView> {
    const { run, created } = await this.reconciliation.start(body, 'api');
    void reply.header('Location', `/v1/reconciliation/runs/${run.id}`);
    return { ...(await this.reports.summary(run.id)), created };
  }

  @Get('runs')
  @RequireScope('reconciliation:read')
  @ApiOperation({ summary: 'Reconciliation runs, newest first' })
  @ApiOkResponse({ type: RunListView })
  async list(@Query() query: ListRunsQuery): Promise<RunListView> {
    return { items: await this.reports.list(query) };
  }

  @Get('runs/:id')
  @RequireScope('reconciliation:read')
  @ApiOperation({
    summary:
      'One run: progress, outcomes per product and country, SUCCESSFUL totals, discrepancies',
  })
  @ApiParam(RUN_ID)
  @ApiOkResponse({ type: RunDetailView })
  @ApiNotFoundResponse({
    description: 'NOT_FOUND',
    ...error('NOT_FOUND', 'No reconciliation run 3b0f6d1e-5a7c-4f3e-9d2b-8c1a0e4f7b62'),
  })
  detail(@Param('id') id: string): Promise<RunDetailView> {
    return this.reports.detail(id);
  }

  @Get('runs/:id/report.csv')
  @RequireScope('reconciliation:read')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({
    summary:
      'The run as CSV (RFC 4180): one `item` row per record not MATCHED, then `count` and `total` rows',
    description: 'Every row starts with its record_type; the totals equal those of GET /runs/{id}.',
  })
  @ApiParam(RUN_ID)
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV', schema: { type: 'string', example: CSV_EXAMPLE } })
  @ApiNotFoundResponse({
    description: 'NOT_FOUND',
    ...error('NOT_FOUND', 'No reconciliation run 3b0f6d1e-5a7c-4f3e-9d2b-8c1a0e4f7b62'),
  })
  async csv(
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const run = await this.reports.detail(id, { allDiscrepancies: true });
    void reply.header('Content-Disposition', `attachment; filename="reconciliation-${run.id}.csv"`);
    return renderCsv(run);
  }

  @Get('runs/:id/report.html')
  @RequireScope('reconciliation:read')
  @Header('Content-Type', 'text/html; charset=utf-8')
  // No script and nothing from elsewhere: the page can do nothing but show itself.
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiOperation({
    summary: 'The run as a page for people: figures, a chart of outcomes, the discrepancy table',
  })
  @ApiParam(RUN_ID)
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'HTML',
    schema: {
      type: 'string',
      example: '<!DOCTYPE html><html lang="en">…<h1>Reconciliation run: daily</h1>…</html>',
    },
  })
  @ApiNotFoundResponse({
    description: 'NOT_FOUND',
    ...error('NOT_FOUND', 'No reconciliation run 3b0f6d1e-5a7c-4f3e-9d2b-8c1a0e4f7b62'),
  })
  async html(@Param('id') id: string): Promise<string> {
    return renderHtml(await this.reports.detail(id));
  }

  @Post('discrepancies/:id/acknowledge')
  @HttpCode(200)
  @RequireScope('reconciliation:write')
  @ApiOperation({
    summary:
      "Acknowledge a discrepancy: a run's, or a transaction discrepancy (e.g. from a callback)",
    description:
      'Keeps the note and the time, on the discrepancy and on the record it is linked with. Repeating it with the same note answers the first acknowledgement.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: '5e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b' })
  @ApiOkResponse({ type: AcknowledgementView })
  @ApiNotFoundResponse({
    description: 'NOT_FOUND',
    ...error('NOT_FOUND', 'No discrepancy 5e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b'),
  })
  @ApiConflictResponse({
    description: 'ALREADY_ACKNOWLEDGED: acknowledged before with another note',
    ...error('ALREADY_ACKNOWLEDGED', 'Already acknowledged at 2026-11-02T09:12:00.000Z'),
  })
  acknowledge(@Param('id') id: string, @Body() body: AcknowledgeDto): Promise<AcknowledgementView> {
    return this.reports.acknowledge(id, body.note);
  }
}
