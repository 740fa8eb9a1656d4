import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';

/**
 * At start-up, names every controller route that declares no access (`@RequireScope()`,
 * `@Public()` or `@MetricsAccess()`). Such a route is refused to every key at run time; this log
 * line says why before anyone calls it.
 */
@Injectable()
export class AuthCoverageCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const undeclared = this.undeclaredRoutes();
    if (undeclared.length > 0) {
      this.logger.error(
        { routes: undeclared },
        `routes without @RequireScope() or @Public() are refused to every API key: ${undeclared.join(', ')}`,
      );
    }
  }

  undeclaredRoutes(): string[] {
    const found: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (abstract new (...args: never[]) => unknown) | undefined;
      if (!type) continue;
      const prototype = type.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (
          typeof handler !== 'function' ||
          Reflect.getMetadata(PATH_METADATA, handler) === undefined
        )
          continue;
        const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
          handler,
          type,
        ]);
        if (!access) found.push(`${type.name}.${name}`);
      }
    }
    return found;
  }
}
