import { escapeHtml, outcomeChart, renderHtml } from './html.renderer';
import { sampleDiscrepancy, sampleRun } from './report.fixture';

describe('renderHtml', () => {
  it('shows the summary figures, the totals and the discrepancy table', () => {
    const html = renderHtml(sampleRun());
    expect(html).toContain('3b0f6d1e-5a7c-4f3e-9d2b-8c1a0e4f7b62');
    expect(html).toContain('COMPLETED');
    expect(html).toContain('5 of 5');
    expect(html).toContain('<td class="n">3025.50</td>');
    expect(html).toContain('Discrepancies (1)');
    expect(html).toContain('amount: 1000 -&gt; 990');
  });

  it('draws one inline SVG bar per outcome and loads nothing from elsewhere', () => {
    const html = renderHtml(sampleRun());
    expect(html.match(/<rect /g)).toHaveLength(6);
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
  });

  it('escapes every value, an external id written to break out included', () => {
    const evil = `"><script>alert('x')</script><img src=x onerror=alert(1)>`;
    const html = renderHtml(
      sampleRun({ statusReason: '<b>reason</b>' }, [
        sampleDiscrepancy({ externalId: evil, acknowledgedNote: '</td><script>' }),
      ]),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>reason');
    expect(html).toContain(
      '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;',
    );
  });

  it('says when only part of the discrepancies is shown', () => {
    const html = renderHtml(sampleRun({ discrepancyCount: 1500 }));
    expect(html).toContain('Showing 1 of 1500');
  });

  it('says so when every record matched', () => {
    expect(renderHtml(sampleRun({}, []))).toContain('Every record matched MTN.');
  });
});

describe('outcomeChart', () => {
  it('scales bars to the largest count and labels each with its count', () => {
    const svg = outcomeChart({
      MATCHED: 100,
      REPAIRED: 50,
      MISMATCH: 0,
      MISSING_AT_MTN: 0,
      STILL_PENDING: 0,
      ERROR: 1,
    });
    expect(svg).toContain('width="360"');
    expect(svg).toContain('width="180"');
    expect(svg).toContain('width="0"');
    expect(svg).toContain('width="4"');
    expect(svg).toContain('>100</text>');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
    expect(escapeHtml(undefined)).toBe('');
  });
});
