import { describe, expect, it } from 'vitest';
import { DUPLICATE_THRESHOLD, textSimilarity } from './similarity.js';

describe('text similarity for duplicates', () => {
  it('recognises the same complaint in other words, Chinese included', () => {
    expect(textSimilarity('温州步行街夜市噪音扰民，每晚十点以后音响声音很大，影响休息', '温州步行街夜市太吵了，晚上十点后还在放音乐，影响休息')).toBeGreaterThan(DUPLICATE_THRESHOLD);
    expect(textSimilarity('Streetlight broken on Main St', 'streetlight is broken on main street')).toBeGreaterThan(0.8);
  });

  it('keeps different complaints apart', () => {
    expect(textSimilarity('温州步行街夜市噪音扰民', '御苑城小区高层水压不足，早晚用水高峰时段没有水')).toBeLessThan(DUPLICATE_THRESHOLD);
  });

  it('is 1 for the same text, whatever the punctuation and width, and 0 for empty text', () => {
    expect(textSimilarity('风光路拥堵！', '风光路　拥堵')).toBe(1);
    expect(textSimilarity('', '')).toBe(0);
  });
});
