import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class AcknowledgeDto {
  @ApiProperty({
    description: 'What was found and done; kept with the time',
    example: 'MTN confirmed 990 was collected; customer refunded 10 by hand',
    minLength: 1,
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'note must not be blank' })
  note!: string;
}
