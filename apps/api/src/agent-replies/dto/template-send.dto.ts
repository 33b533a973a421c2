import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { E164_PATTERN, type TemplateSendRequest } from '@conecta/contracts';
import type { TemplateStartRequest } from '@conecta/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  IsObject,
} from 'class-validator';

export class TemplateButtonValueDto {
  @ApiProperty({ minimum: 0, maximum: 9, description: "The button's position in the template" })
  @IsInt()
  @Min(0)
  @Max(9)
  index!: number;

  @ApiProperty({ description: "The URL button's parameter value" })
  @IsString()
  @MaxLength(2000)
  text!: string;
}

export class TemplateSendDto implements TemplateSendRequest {
  @ApiProperty({ example: 'order_update' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  name!: string;

  @ApiProperty({ example: 'es' })
  @IsString()
  @Matches(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, {
    message: 'must be a language code such as es or en_US',
  })
  language!: string;

  @ApiPropertyOptional({ description: 'A TEXT header value, or the https link of a media header' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  header?: string;

  @ApiPropertyOptional({ type: [String], description: "The body's values, in slot order" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(1024, { each: true })
  body?: string[];

  @ApiPropertyOptional({ type: [TemplateButtonValueDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  // Each element an object: an array or a number passes the nested check (nothing to check).
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => TemplateButtonValueDto)
  buttons?: TemplateButtonValueDto[];
}

export class TemplateStartDto extends TemplateSendDto implements TemplateStartRequest {
  @ApiProperty({ example: '+34600111222', description: "The customer's phone in E.164" })
  @IsString()
  @Matches(E164_PATTERN, { message: 'must be a phone number in E.164 (+ and digits)' })
  to!: string;
}
