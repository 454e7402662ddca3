// ECharts, loaded only by the pages that draw charts (import('./charts')),
// with just the chart types and components they use.
import * as echarts from 'echarts/core'
import { BarChart, MapChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, MapChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent, CanvasRenderer])

export { echarts }
