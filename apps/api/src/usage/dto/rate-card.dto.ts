import { ApiProperty } from '@nestjs/swagger';
import {
  RATE_CARD_CATEGORIES,
  RATE_CARD_MAX_ENTRIES,
  RATE_CARD_MAX_PRICE,
  RATE_CARD_RULES,
  type RateCard,
  type RateCardCategory,
  type RateCardEntry,
} from '@conecta/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
  IsObject,
} from 'class-validator';

export class RateCardEntryDto implements RateCardEntry {
  @ApiProperty({ enum: RATE_CARD_CATEGORIES, description: "Meta's pricing category" })
  @IsIn(RATE_CARD_CATEGORIES)
  category!: RateCardCategory;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '34',
    description: 'Country calling code; null: the price for every other country',
  })
  @IsOptional()
  @IsString()
  @Matches(RATE_CARD_RULES.callingCode.pattern, {
    message: RATE_CARD_RULES.callingCode.patternMessage,
  })
  callingCode!: string | null;

  @ApiProperty({ minimum: 0, maximum: RATE_CARD_MAX_PRICE, description: 'Per delivered message' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 6 })
  @Min(0)
  @Max(RATE_CARD_MAX_PRICE)
  price!: number;
}

export class RateCardDto implements RateCard {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code' })
  @IsString()
  @Matches(RATE_CARD_RULES.currency.pattern, { message: RATE_CARD_RULES.currency.patternMessage })
  currency!: string;

  @ApiProperty({ type: [RateCardEntryDto] })
  @IsArray()
  @ArrayMaxSize(RATE_CARD_MAX_ENTRIES)
  // Each element an object: an array or a number passes the nested check (nothing to check).
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => RateCardEntryDto)
  rates!: RateCardEntryDto[];
}
