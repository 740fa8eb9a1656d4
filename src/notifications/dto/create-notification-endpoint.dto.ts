import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { PRODUCTS, type Product } from '../../common/product';

export class CreateNotificationEndpointDto {
  @ApiProperty({
    description: 'http(s) URL that receives a signed POST per final transaction',
    example: 'https://erp.example.com/momo/notifications',
    maxLength: 2048,
  })
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http or https URL' },
  )
  url!: string;

  @ApiPropertyOptional({
    enum: PRODUCTS,
    isArray: true,
    description:
      'Only transactions of these products (a refund is a disbursement); absent: every product',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PRODUCTS.length)
  @ArrayUnique()
  @IsIn(PRODUCTS, { each: true })
  products?: Product[];
}
