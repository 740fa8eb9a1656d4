import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the JSON at /docs-json. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('momo-gateway')
      .setDescription(
        'Takes and sends money through MTN Mobile Money (Collection, Disbursement, Remittance) in 11 African markets. ' +
          'Every error body is `{ code, message, details?, retryable, requestId, errorId? }`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' }, 'api-key')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'x-api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
}
