import { Controller, Get, Logger, Post } from '@nestjs/common';
import { MetadataScanner, Reflector, type DiscoveryService } from '@nestjs/core';
import { AuthCoverageCheck } from './auth-coverage.check';
import { MetricsAccess, Public, RequireScope } from './auth.decorators';

@Controller('a')
class Declared {
  @Get() @RequireScope('collection:read') list(): void {}
  @Get('m') @MetricsAccess() metrics(): void {}
  helper(): void {}
}

@Public()
@Controller('b')
class OpenClass {
  @Post() anything(): void {}
}

@Controller('c')
class Forgotten {
  @Post() create(): void {}
  @Get() @RequireScope('collection:read') read(): void {}
}

describe('AuthCoverageCheck', () => {
  const check = () =>
    new AuthCoverageCheck(
      {
        getControllers: () => [Declared, OpenClass, Forgotten].map((metatype) => ({ metatype })),
      } as unknown as DiscoveryService,
      new MetadataScanner(),
      new Reflector(),
    );

  it('names every route that declares no access, and only routes', () => {
    expect(check().undeclaredRoutes()).toEqual(['Forgotten.create']);
  });

  it('logs them as an error at start-up', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    check().onApplicationBootstrap();
    expect(error).toHaveBeenCalledWith(
      { routes: ['Forgotten.create'] },
      expect.stringContaining('Forgotten.create'),
    );
    error.mockRestore();
  });
});
