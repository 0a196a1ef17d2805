import { CORREG, DISABILITY, ELDERLY, ETHNIC, ProgramSpec, RURAL, SCHOOLS, URBAN, VICTIMS, WOMEN, YOUTH, level, sum } from './catalogue';

/** The programs and products of the demo plan, by sector. */

export const programs: ProgramSpec[] = [
  // ---------------------------------------------------------------- Educación
  {
    department: 'SEDU', line: 1, sectorCode: '22', programCode: '2201',
    program: 'Calidad, cobertura y fortalecimiento de la educación inicial, prescolar, básica y media',
    products: [
      level('stock', '006', 'Servicio de alimentación escolar', 'Beneficiarios de la alimentación escolar', 'Número', [16000, 22000], [16000, 22000], 'Atender {n} estudiantes con el Programa de Alimentación Escolar (PAE)', [RURAL, URBAN, 'en instituciones etnoeducativas']),
      level('stock', '029', 'Servicio de transporte escolar', 'Beneficiarios de transporte escolar', 'Número', [1200, 2400], [1200, 2400], 'Garantizar transporte escolar a {n} estudiantes', ['de la zona rural dispersa', 'de corregimientos de difícil acceso']),
      sum('052', 'Infraestructura educativa mejorada', 'Sedes educativas mejoradas', 'Número', [14, 30], 'Mejorar {n} sedes educativas oficiales', { variants: [RURAL, URBAN], season: 'works' }),
      sum('051', 'Ambientes de aprendizaje construidos', 'Aulas nuevas construidas', 'Número', [10, 24], 'Construir {n} aulas escolares', { variants: ['en instituciones educativas rurales', 'para la implementación de la jornada única'], season: 'works' }),
      sum('064', 'Servicio de dotación de ambientes de aprendizaje', 'Sedes educativas dotadas', 'Número', [40, 80], 'Dotar {n} sedes educativas', { variants: ['con mobiliario escolar', 'con laboratorios de ciencias', 'con bibliotecas escolares', 'rurales con material pedagógico'], season: 'yearEnd' }),
      level('stock', '062', 'Servicio de conectividad para sedes educativas', 'Sedes educativas oficiales con conectividad', 'Número', [60, 110], [60, 110], 'Mantener {n} sedes educativas oficiales conectadas a internet', [RURAL, URBAN]),
      sum('019', 'Servicio de formación a docentes', 'Docentes y directivos docentes formados', 'Número', [600, 1200], 'Formar {n} docentes y directivos docentes', { variants: ['en pedagogías activas y bilingüismo', 'en educación inclusiva', 'en competencias socioemocionales', 'en pensamiento computacional'], season: 'school' }),
      level('flow', '037', 'Servicio de apoyo a la implementación de la jornada única', 'Estudiantes atendidos en jornada única', 'Número', [2500, 3400], [5000, 7000], 'Ampliar a {n} los estudiantes atendidos en jornada única', [URBAN, RURAL]),
      level('flow', '070', 'Servicio de educación inicial en el marco de la atención integral', 'Niños y niñas en prescolar con atención integral', 'Número', [2800, 3200], [3800, 4600], 'Atender {n} niños y niñas de prescolar con educación inicial integral', [URBAN, RURAL]),
      level('reduction', '025', 'Servicio de apoyo a la permanencia', 'Tasa de deserción intra-anual en educación básica y media', 'Porcentaje', [3.8, 4.6], [2.5, 3], 'Reducir al {n} % la tasa de deserción escolar intra-anual', [URBAN, RURAL]),
      sum('030', 'Servicio de educación para jóvenes y adultos', 'Personas alfabetizadas', 'Número', [800, 1500], 'Alfabetizar {n} jóvenes y adultos', { variants: ['de la zona rural', VICTIMS, 'de comunidades indígenas', 'privados de la libertad'], season: 'school' }),
      sum('071', 'Servicio de fomento del bilingüismo', 'Estudiantes beneficiados con estrategias de bilingüismo', 'Número', [2000, 4000], 'Beneficiar {n} estudiantes con estrategias de fortalecimiento del inglés', { variants: ['en educación básica secundaria', 'en educación media'], season: 'school' }),
      level('stock', '053', 'Servicio de educación inclusiva', 'Estudiantes con discapacidad atendidos con apoyos pedagógicos', 'Número', [600, 900], [600, 900], 'Atender {n} estudiantes con discapacidad con apoyos pedagógicos y ajustes razonables', [URBAN, RURAL]),
    ],
  },
  {
    department: 'SEDU', line: 1, sectorCode: '22', programCode: '2202',
    program: 'Calidad y fomento de la educación superior',
    products: [
      sum('005', 'Servicio de apoyo financiero para el acceso a la educación superior', 'Beneficiarios de becas y créditos condonables', 'Número', [400, 900], 'Otorgar {n} becas y créditos condonables para educación superior', { variants: ['a jóvenes de la zona rural', 'a bachilleres de colegios oficiales', VICTIMS], season: 'campaign' }),
      sum('028', 'Servicio de orientación socio-ocupacional', 'Estudiantes de media con orientación socio-ocupacional', 'Número', [3000, 6000], 'Brindar orientación socio-ocupacional a {n} estudiantes de educación media', { variants: [URBAN, RURAL], season: 'school' }),
    ],
  },
  // ---------------------------------------------------------------- Salud y protección social
  {
    department: 'SSAL', line: 1, sectorCode: '19', programCode: '1905', program: 'Salud pública',
    products: [
      level('flow', '015', 'Servicio de vacunación', 'Cobertura de vacunación con terceras dosis de pentavalente en menores de un año', 'Porcentaje', [86, 89], [93, 95], 'Alcanzar una cobertura de vacunación del {n} % en menores de un año', [URBAN, RURAL]),
      sum('021', 'Servicio de promoción de la salud mental', 'Campañas de promoción de la salud mental realizadas', 'Número', [16, 32], 'Realizar {n} campañas de promoción de la salud mental y prevención de la conducta suicida', { variants: [SCHOOLS, RURAL, YOUTH], season: 'campaign' }),
      level('reduction', '031', 'Servicio de gestión del riesgo en salud infantil', 'Tasa de mortalidad en menores de un año', 'Tasa por 1.000 nacidos vivos', [10.5, 12], [8.5, 9.5], 'Reducir a {n} por cada 1.000 nacidos vivos la tasa de mortalidad infantil'),
      level('reduction', '034', 'Servicio de gestión del riesgo en salud sexual y reproductiva', 'Tasa específica de fecundidad en adolescentes de 15 a 19 años', 'Tasa por 1.000 mujeres de 15 a 19 años', [48, 56], [38, 44], 'Reducir a {n} por cada 1.000 la tasa de fecundidad en adolescentes de 15 a 19 años'),
      sum('026', 'Servicio de promoción de estilos de vida saludables', 'Personas beneficiadas con estrategias de estilos de vida saludable', 'Número', [8000, 15000], 'Beneficiar {n} personas con estrategias de estilos de vida saludable', { variants: [ELDERLY, 'en entornos laborales', RURAL, SCHOOLS], season: 'campaign' }),
      sum('040', 'Servicio de vigilancia de la calidad del agua para consumo humano', 'Muestras de agua para consumo humano analizadas', 'Número', [1200, 2000], 'Analizar {n} muestras de agua para consumo humano', { variants: ['de acueductos urbanos', 'de acueductos rurales'] }),
      sum('043', 'Servicio de gestión del riesgo en seguridad alimentaria y nutricional', 'Niños y niñas menores de cinco años con seguimiento nutricional', 'Número', [6000, 10000], 'Hacer seguimiento nutricional a {n} niños y niñas menores de cinco años', { variants: ['de la zona rural', 'de comunidades indígenas'] }),
      sum('047', 'Servicio de vacunación antirrábica', 'Perros y gatos vacunados contra la rabia', 'Número', [40000, 60000], 'Vacunar {n} perros y gatos contra la rabia', { variants: [URBAN, RURAL], season: 'campaign' }),
      level('reduction', '044', 'Servicio de atención nutricional', 'Prevalencia de desnutrición aguda en menores de cinco años', 'Porcentaje', [1.8, 2.4], [1, 1.4], 'Reducir al {n} % la prevalencia de desnutrición aguda en menores de cinco años'),
    ],
  },
  {
    department: 'SSAL', line: 1, sectorCode: '19', programCode: '1903', program: 'Inspección, vigilancia y control',
    products: [
      sum('012', 'Servicio de inspección, vigilancia y control sanitario', 'Visitas de inspección sanitaria realizadas', 'Número', [4000, 6000], 'Realizar {n} visitas de inspección, vigilancia y control sanitario', { variants: ['a establecimientos de alimentos y bebidas', 'a establecimientos de alto riesgo sanitario', 'a instituciones educativas'] }),
    ],
  },
  {
    department: 'SSAL', line: 1, sectorCode: '19', programCode: '1906', program: 'Aseguramiento y prestación integral de servicios de salud',
    products: [
      level('stock', '004', 'Servicio de afiliaciones al régimen subsidiado', 'Personas afiliadas al régimen subsidiado', 'Número', [180000, 200000], [180000, 200000], 'Mantener {n} personas afiliadas al régimen subsidiado de salud'),
      level('flow', '005', 'Servicio de aseguramiento en salud', 'Cobertura de aseguramiento en salud', 'Porcentaje', [95, 96.5], [97.5, 98.5], 'Alcanzar una cobertura del {n} % en el aseguramiento en salud'),
      sum('023', 'Infraestructura hospitalaria dotada', 'Puestos y centros de salud dotados', 'Número', [6, 12], 'Dotar {n} puestos y centros de salud de la ESE municipal', { variants: [RURAL, URBAN], season: 'yearEnd' }),
      sum('021', 'Infraestructura hospitalaria adecuada', 'Puestos de salud adecuados', 'Número', [4, 10], 'Adecuar {n} puestos de salud', { variants: [CORREG, 'en barrios periféricos'], season: 'works' }),
      sum('042', 'Servicio de atención en salud extramural', 'Brigadas extramurales de salud realizadas', 'Número', [60, 120], 'Realizar {n} brigadas extramurales de salud', { variants: [CORREG, 'con población indígena', 'en barrios periféricos'] }),
      sum('044', 'Servicio de telemedicina', 'Atenciones realizadas por telemedicina', 'Número', [3000, 6000], 'Prestar {n} atenciones en salud por telemedicina', { variants: [RURAL, 'en centros de salud urbanos'] }),
    ],
  },
  // ---------------------------------------------------------------- Infraestructura y obras públicas
  {
    department: 'SINF', line: 4, sectorCode: '24', programCode: '2402', program: 'Infraestructura red vial regional',
    products: [
      sum('114', 'Vía terciaria mejorada', 'Vía terciaria mejorada', 'Kilómetros', [30, 60], 'Mejorar {n} km de vías terciarias', { variants: ['en corregimientos del norte', 'en corregimientos del sur', 'en corregimientos del oriente', 'en corregimientos del occidente'], season: 'works' }),
      sum('115', 'Placa huella construida', 'Placa huella construida', 'Kilómetros', [4, 10], 'Construir {n} km de placa huella en vías rurales', { variants: ['en zonas de alta pendiente', 'en veredas de los corregimientos del sur'], season: 'works' }),
      sum('041', 'Vía urbana pavimentada', 'Vía urbana pavimentada', 'Kilómetros', [10, 20], 'Pavimentar {n} km de vías urbanas', { variants: ['en las comunas 1 a 6', 'en las comunas 7 a 12'], season: 'works' }),
      sum('042', 'Vía urbana rehabilitada', 'Vía urbana rehabilitada', 'Kilómetros', [15, 30], 'Rehabilitar {n} km de vías urbanas', { variants: ['en la malla vial arterial', 'en vías barriales'], season: 'works' }),
      sum('021', 'Puentes construidos en vía terciaria', 'Puentes construidos', 'Número', [4, 8], 'Construir {n} puentes vehiculares en vías rurales', { season: 'works' }),
      sum('117', 'Vía terciaria con mantenimiento', 'Vía terciaria con mantenimiento rutinario', 'Kilómetros', [300, 500], 'Realizar mantenimiento rutinario a {n} km de vías terciarias', { variants: ['con maquinaria del banco municipal', 'por administración directa'] }),
      sum('061', 'Andenes construidos', 'Andenes construidos', 'Metros cuadrados', [8000, 15000], 'Construir {n} m² de andenes accesibles', { variants: ['en el centro histórico', 'en entornos escolares'], season: 'works' }),
    ],
  },
  {
    department: 'SINF', line: 3, sectorCode: '40', programCode: '4003',
    program: 'Acceso de la población a los servicios de agua potable y saneamiento básico',
    products: [
      sum('017', 'Acueductos optimizados', 'Acueductos rurales optimizados', 'Número', [8, 16], 'Optimizar {n} acueductos rurales', { variants: ['con sistemas de potabilización', 'con ampliación de redes'], season: 'works' }),
      sum('018', 'Alcantarillados construidos', 'Redes de alcantarillado construidas', 'Metros lineales', [6000, 12000], 'Construir {n} metros lineales de redes de alcantarillado', { variants: [RURAL, 'en barrios periféricos', 'en centros poblados rurales'], season: 'works' }),
      level('reduction', '036', 'Servicio de reducción de pérdidas de agua', 'Índice de agua no contabilizada', 'Porcentaje', [40, 44], [34, 37], 'Reducir al {n} % el índice de agua no contabilizada'),
      sum('020', 'Unidades sanitarias construidas', 'Unidades sanitarias construidas en vivienda rural', 'Número', [150, 300], 'Construir {n} unidades sanitarias en viviendas rurales', { variants: ['con sistemas sépticos', 'en resguardos indígenas'], season: 'works' }),
      level('flow', '044', 'Servicio de acueducto rural', 'Cobertura de acueducto en la zona rural', 'Porcentaje', [72, 78], [82, 86], 'Alcanzar una cobertura de acueducto rural del {n} %'),
    ],
  },
  {
    department: 'SINF', line: 4, sectorCode: '21', programCode: '2102', program: 'Consolidación productiva del sector de energía eléctrica',
    products: [
      sum('011', 'Servicio de alumbrado público', 'Luminarias modernizadas a tecnología LED', 'Número', [3000, 6000], 'Modernizar {n} luminarias del alumbrado público a tecnología LED', { variants: [RURAL, 'en parques y escenarios públicos', URBAN] }),
      sum('013', 'Redes de distribución de energía eléctrica', 'Viviendas rurales conectadas a energía eléctrica', 'Número', [200, 500], 'Conectar {n} viviendas rurales a la energía eléctrica', { variants: ['con soluciones solares fotovoltaicas', 'mediante extensión de redes de distribución'], season: 'works' }),
    ],
  },
  {
    department: 'SINF', line: 4, sectorCode: '21', programCode: '2101', program: 'Acceso al servicio público domiciliario de gas combustible',
    products: [
      sum('004', 'Servicio de conexión a gas natural', 'Viviendas conectadas a gas natural', 'Número', [2000, 5000], 'Conectar {n} viviendas de estratos 1 y 2 al servicio de gas natural', { variants: [URBAN, CORREG] }),
    ],
  },
  // ---------------------------------------------------------------- Gobierno, justicia y víctimas
  {
    department: 'SGOB', line: 5, sectorCode: '45', programCode: '4501', program: 'Fortalecimiento de la convivencia y la seguridad ciudadana',
    products: [
      sum('004', 'Servicio de videovigilancia', 'Cámaras de videovigilancia instaladas', 'Número', [60, 120], 'Instalar {n} cámaras de videovigilancia conectadas al centro de monitoreo', { variants: [URBAN, RURAL, 'en entornos escolares'], season: 'works' }),
      sum('016', 'Servicio de promoción de la convivencia', 'Frentes de seguridad ciudadana conformados', 'Número', [40, 80], 'Conformar {n} frentes de seguridad ciudadana', { variants: ['en las comunas', CORREG] }),
      level('reduction', '020', 'Servicio de prevención del delito', 'Tasa de homicidios', 'Tasa por 100.000 habitantes', [12, 15], [9, 11], 'Reducir a {n} por cada 100.000 habitantes la tasa de homicidios'),
      sum('030', 'Documentos de planeación en seguridad', 'Plan Integral de Seguridad y Convivencia Ciudadana formulado', 'Número', [1, 1], 'Formular {n} Plan Integral de Seguridad y Convivencia Ciudadana (PISCC)', { oneOff: true }),
      sum('018', 'Servicio de prevención de violencias', 'Jornadas de prevención del delito realizadas', 'Número', [100, 200], 'Realizar {n} jornadas de prevención del delito y la violencia', { variants: [SCHOOLS, 'con jóvenes en riesgo', 'en zonas de tolerancia'] }),
    ],
  },
  {
    department: 'SGOB', line: 5, sectorCode: '45', programCode: '4502',
    program: 'Fortalecimiento del buen gobierno para el respeto y garantía de los derechos humanos',
    products: [
      sum('001', 'Servicio de asistencia técnica a organizaciones comunales', 'Juntas de acción comunal fortalecidas', 'Número', [150, 300], 'Fortalecer {n} juntas de acción comunal', { variants: [URBAN, RURAL] }),
      sum('024', 'Servicio de apoyo a la participación ciudadana', 'Iniciativas de presupuesto participativo apoyadas', 'Número', [40, 80], 'Apoyar {n} iniciativas de presupuesto participativo', { variants: ['en las comunas', CORREG], season: 'yearEnd' }),
      sum('019', 'Servicio de educación en derechos humanos', 'Personas capacitadas en derechos humanos', 'Número', [2000, 4000], 'Capacitar {n} personas en derechos humanos y paz', { variants: [YOUTH, 'de organizaciones sociales', SCHOOLS] }),
    ],
  },
  {
    department: 'SGOB', line: 5, sectorCode: '12', programCode: '1202', program: 'Promoción al acceso a la justicia',
    products: [
      sum('005', 'Servicio de justicia cercana al ciudadano', 'Atenciones en la Casa de Justicia', 'Número', [20000, 30000], 'Brindar {n} atenciones en la Casa de Justicia y los centros de convivencia', { variants: [URBAN, CORREG] }),
      sum('007', 'Servicio de conciliación en equidad', 'Conciliaciones en equidad realizadas', 'Número', [1500, 3000], 'Realizar {n} conciliaciones en equidad', { variants: [URBAN, CORREG] }),
      level('stock', '010', 'Servicio de atención en comisarías de familia', 'Comisarías de familia en funcionamiento', 'Número', [6, 6], [6, 6], 'Mantener {n} comisarías de familia en funcionamiento permanente'),
    ],
  },
  {
    department: 'SGOB', line: 5, sectorCode: '41', programCode: '4101', program: 'Atención, asistencia y reparación integral a las víctimas',
    products: [
      sum('025', 'Servicio de ayuda y atención humanitaria', 'Personas víctimas con ayuda humanitaria inmediata', 'Número', [1500, 3000], 'Entregar ayuda humanitaria inmediata a {n} personas víctimas del conflicto armado', { variants: ['recién llegadas al municipio', 'en situación de desplazamiento masivo'] }),
      sum('038', 'Servicio de apoyo a unidades productivas de víctimas', 'Proyectos productivos de víctimas apoyados', 'Número', [60, 120], 'Apoyar {n} proyectos productivos de personas víctimas', { variants: [RURAL, 'liderados por mujeres'], season: 'yearEnd' }),
      sum('031', 'Servicio de atención psicosocial', 'Personas víctimas con atención psicosocial', 'Número', [800, 1600], 'Brindar atención psicosocial a {n} personas víctimas del conflicto armado', { variants: [URBAN, RURAL, ETHNIC] }),
    ],
  },
  // ---------------------------------------------------------------- Desarrollo económico, trabajo y TIC
  {
    department: 'SDEC', line: 2, sectorCode: '35', programCode: '3502', program: 'Productividad y competitividad de las empresas colombianas',
    products: [
      sum('046', 'Servicio de asistencia técnica a unidades productivas', 'Unidades productivas asistidas técnicamente', 'Número', [600, 1200], 'Brindar asistencia técnica a {n} unidades productivas', { variants: ['lideradas por mujeres', 'de jóvenes emprendedores', 'del sector artesanal', 'del sector del cuero y la marroquinería'] }),
      sum('011', 'Servicio de apoyo a la comercialización', 'Ferias empresariales y de emprendimiento realizadas', 'Número', [12, 24], 'Realizar {n} ferias empresariales y de emprendimiento', { season: 'yearEnd' }),
      sum('017', 'Servicio de apoyo financiero para el emprendimiento', 'Emprendimientos con capital semilla', 'Número', [200, 400], 'Entregar capital semilla a {n} emprendimientos', { variants: ['de economía popular', 'de base tecnológica'], season: 'yearEnd' }),
      sum('022', 'Servicio de promoción turística', 'Campañas de promoción turística realizadas', 'Número', [8, 16], 'Realizar {n} campañas de promoción turística de Pasto y la laguna de La Cocha', { variants: ['en mercados nacionales', 'en mercados internacionales'] }),
      sum('025', 'Servicio de formación en turismo', 'Prestadores de servicios turísticos capacitados', 'Número', [300, 600], 'Capacitar {n} prestadores de servicios turísticos', { variants: [RURAL, 'en turismo comunitario'] }),
      level('stock', '027', 'Servicio de información turística', 'Puntos de información turística en funcionamiento', 'Número', [4, 5], [4, 5], 'Mantener {n} puntos de información turística en funcionamiento'),
    ],
  },
  {
    department: 'SDEC', line: 2, sectorCode: '36', programCode: '3602', program: 'Generación y formalización del empleo',
    products: [
      sum('018', 'Servicio de gestión y colocación de empleo', 'Personas vinculadas laboralmente por la agencia pública de empleo', 'Número', [1500, 3000], 'Vincular laboralmente a {n} personas a través de la agencia pública de empleo', { variants: [YOUTH, 'para mujeres', DISABILITY, VICTIMS] }),
      sum('020', 'Servicio de intermediación laboral', 'Ferias de empleo realizadas', 'Número', [8, 16], 'Realizar {n} ferias de empleo', { variants: [URBAN, CORREG] }),
    ],
  },
  {
    department: 'SDEC', line: 2, sectorCode: '36', programCode: '3603', program: 'Formación para el trabajo',
    products: [
      sum('002', 'Servicio de formación para el trabajo', 'Personas formadas en competencias laborales', 'Número', [1200, 2400], 'Formar {n} personas en competencias laborales', { variants: ['en convenio con el SENA', 'en economía digital', 'en oficios de la construcción', 'para mujeres cabeza de hogar'], season: 'school' }),
    ],
  },
  {
    department: 'SDEC', line: 2, sectorCode: '23', programCode: '2301', program: 'Facilitar el acceso y uso de las Tecnologías de la Información y las Comunicaciones',
    products: [
      level('stock', '018', 'Servicio de acceso a zonas digitales', 'Zonas wifi gratuitas en funcionamiento', 'Número', [25, 40], [25, 40], 'Mantener {n} zonas wifi gratuitas en funcionamiento', [URBAN, RURAL]),
      sum('021', 'Servicio de educación informal en TIC', 'Personas capacitadas en TIC', 'Número', [4000, 8000], 'Capacitar {n} personas en uso y apropiación de las TIC', { variants: [ELDERLY, WOMEN, 'para pequeños comerciantes', YOUTH] }),
    ],
  },
  // ---------------------------------------------------------------- Agricultura y medio ambiente
  {
    department: 'SAMA', line: 2, sectorCode: '17', programCode: '1702', program: 'Inclusión productiva de pequeños productores rurales',
    products: [
      sum('007', 'Servicio de extensión agropecuaria', 'Productores beneficiados con extensión agropecuaria', 'Número', [3000, 6000], 'Prestar el servicio de extensión agropecuaria a {n} productores', { variants: ['cafeteros', 'de papa y hortalizas', 'lecheros', 'de cuy y especies menores', 'de frutales de clima frío'] }),
      sum('014', 'Servicio de apoyo a la comercialización', 'Mercados campesinos realizados', 'Número', [80, 150], 'Realizar {n} mercados campesinos', { variants: [URBAN, CORREG, 'en plazas de mercado'] }),
      sum('017', 'Servicio de apoyo a la asociatividad', 'Asociaciones de productores fortalecidas', 'Número', [30, 60], 'Fortalecer {n} asociaciones de productores', { variants: ['de mujeres rurales', 'de jóvenes rurales'] }),
      sum('021', 'Servicio de apoyo a la producción para autoconsumo', 'Huertas caseras establecidas', 'Número', [800, 1500], 'Establecer {n} huertas caseras para la seguridad alimentaria', { variants: ['con mujeres rurales', 'en instituciones educativas rurales', 'en resguardos indígenas'], season: 'campaign' }),
    ],
  },
  {
    department: 'SAMA', line: 2, sectorCode: '17', programCode: '1709', program: 'Infraestructura de producción y comercialización',
    products: [
      sum('043', 'Reservorios construidos', 'Reservorios para riego construidos', 'Número', [40, 80], 'Construir {n} reservorios para riego de pequeña escala', { variants: ['en corregimientos del norte', 'en corregimientos del sur'], season: 'works' }),
      sum('036', 'Centros de acopio adecuados', 'Centros de acopio adecuados', 'Número', [3, 6], 'Adecuar {n} centros de acopio de leche y productos agrícolas', { season: 'works' }),
    ],
  },
  {
    department: 'SAMA', line: 3, sectorCode: '32', programCode: '3202', program: 'Conservación de la biodiversidad y sus servicios ecosistémicos',
    products: [
      sum('005', 'Servicio de restauración de ecosistemas', 'Áreas en proceso de restauración', 'Hectáreas', [200, 400], 'Restaurar {n} hectáreas de ecosistemas estratégicos', { variants: ['en la cuenca alta del río Pasto', 'en zona de páramo', 'en el entorno de la laguna de La Cocha'], season: 'campaign' }),
      sum('009', 'Servicio de reforestación', 'Árboles nativos sembrados', 'Número', [40000, 80000], 'Sembrar {n} árboles nativos', { variants: ['en rondas hídricas', 'en espacio público urbano', 'en áreas de recarga hídrica'], season: 'campaign' }),
      sum('037', 'Áreas de importancia estratégica adquiridas', 'Predios adquiridos para protección de fuentes hídricas', 'Hectáreas', [100, 300], 'Adquirir {n} hectáreas para la protección de fuentes abastecedoras de acueductos', { season: 'yearEnd' }),
    ],
  },
  {
    department: 'SAMA', line: 3, sectorCode: '32', programCode: '3203', program: 'Gestión integral del recurso hídrico',
    products: [
      level('stock', '010', 'Servicio de pago por servicios ambientales', 'Hectáreas con pago por servicios ambientales', 'Hectáreas', [300, 600], [300, 600], 'Mantener {n} hectáreas con esquemas de pago por servicios ambientales', ['en la cuenca del río Pasto', 'en la cuenca del río Bobo']),
    ],
  },
  {
    department: 'SAMA', line: 3, sectorCode: '32', programCode: '3206', program: 'Gestión del cambio climático para un desarrollo bajo en carbono y resiliente al clima',
    products: [
      sum('014', 'Servicio de aprovechamiento de residuos sólidos', 'Residuos sólidos aprovechados', 'Toneladas', [3000, 6000], 'Aprovechar {n} toneladas de residuos sólidos reciclables', { variants: ['con organizaciones de recicladores de oficio', 'orgánicos en plantas de compostaje'] }),
      level('flow', '015', 'Servicio de recolección de residuos en la zona rural', 'Cobertura del servicio de aseo en la zona rural', 'Porcentaje', [55, 62], [70, 75], 'Alcanzar una cobertura del {n} % del servicio de aseo en la zona rural'),
      level('reduction', '016', 'Servicio de gestión integral de residuos', 'Residuos dispuestos en relleno sanitario por habitante', 'Kilogramos por habitante al día', [0.78, 0.85], [0.64, 0.7], 'Reducir a {n} kg por habitante al día los residuos dispuestos en el relleno sanitario'),
    ],
  },
  {
    department: 'SAMA', line: 3, sectorCode: '32', programCode: '3208', program: 'Educación ambiental',
    products: [
      level('stock', '005', 'Servicio de educación ambiental escolar', 'Instituciones educativas con PRAE implementado', 'Número', [40, 60], [40, 60], 'Mantener {n} instituciones educativas con Proyecto Ambiental Escolar (PRAE) implementado', [URBAN, RURAL]),
      sum('007', 'Servicio de sensibilización ambiental', 'Personas sensibilizadas en educación ambiental', 'Número', [10000, 20000], 'Sensibilizar {n} personas en educación ambiental', { variants: [SCHOOLS, RURAL, 'en juntas de acción comunal'] }),
      sum('011', 'Servicio de bienestar animal', 'Animales de compañía esterilizados', 'Número', [6000, 12000], 'Esterilizar {n} perros y gatos', { variants: ['en jornadas en barrios', 'en jornadas en corregimientos'], season: 'campaign' }),
    ],
  },
  // ---------------------------------------------------------------- Bienestar social
  {
    department: 'SBIS', line: 1, sectorCode: '41', programCode: '4102', program: 'Desarrollo integral de niños, niñas, adolescentes y sus familias',
    products: [
      level('stock', '001', 'Servicio de atención integral a la primera infancia', 'Niños y niñas atendidos en centros de desarrollo infantil', 'Número', [1800, 2400], [1800, 2400], 'Atender {n} niños y niñas en centros de desarrollo infantil', [URBAN, RURAL]),
      sum('002', 'Centros de desarrollo infantil construidos', 'Centros de desarrollo infantil construidos y dotados', 'Número', [3, 6], 'Construir y dotar {n} centros de desarrollo infantil', { season: 'works' }),
      sum('037', 'Servicio de prevención del trabajo infantil', 'Niños, niñas y adolescentes con estrategias de prevención del trabajo infantil', 'Número', [1500, 3000], 'Vincular {n} niños, niñas y adolescentes a estrategias de prevención del trabajo infantil', { variants: ['en plazas de mercado', RURAL] }),
      sum('038', 'Servicio de acompañamiento familiar', 'Familias con acompañamiento psicosocial', 'Número', [1500, 3000], 'Brindar acompañamiento psicosocial a {n} familias', { variants: [RURAL, 'de comunidades indígenas', URBAN] }),
      level('reduction', '041', 'Servicio de protección integral de la niñez', 'Porcentaje de niños, niñas y adolescentes en trabajo infantil', 'Porcentaje', [5, 6.5], [3.5, 4.2], 'Reducir al {n} % el trabajo infantil'),
    ],
  },
  {
    department: 'SBIS', line: 1, sectorCode: '41', programCode: '4104',
    program: 'Atención integral de población en situación permanente de desprotección social y/o familiar',
    products: [
      level('stock', '008', 'Servicio de atención integral al adulto mayor', 'Personas mayores atendidas en centros vida', 'Número', [1200, 1800], [1200, 1800], 'Atender {n} personas mayores en centros vida y centros día', [URBAN, RURAL]),
      level('stock', '020', 'Servicio de apoyo económico a personas mayores', 'Personas mayores con subsidio económico', 'Número', [9000, 12000], [9000, 12000], 'Mantener {n} personas mayores con subsidio económico (Colombia Mayor)', [URBAN, RURAL]),
      sum('015', 'Servicio de entrega de ayudas técnicas', 'Personas con discapacidad con ayudas técnicas', 'Número', [400, 800], 'Entregar ayudas técnicas a {n} personas con discapacidad', { variants: [RURAL, 'menores de 18 años'], season: 'yearEnd' }),
      level('stock', '017', 'Servicio de atención a habitantes de calle', 'Habitantes de calle atendidos en el hogar de paso', 'Número', [150, 250], [150, 250], 'Atender {n} habitantes de calle en el hogar de paso'),
      sum('022', 'Servicio de rehabilitación basada en comunidad', 'Personas con discapacidad en rehabilitación basada en comunidad', 'Número', [600, 1200], 'Vincular {n} personas con discapacidad a la estrategia de rehabilitación basada en comunidad', { variants: [URBAN, RURAL] }),
    ],
  },
  {
    department: 'SBIS', line: 1, sectorCode: '41', programCode: '4103',
    program: 'Inclusión social y productiva para la población en situación de vulnerabilidad',
    products: [
      sum('052', 'Servicio de acompañamiento a familias en pobreza extrema', 'Familias en pobreza extrema acompañadas', 'Número', [1000, 2000], 'Acompañar {n} familias en situación de pobreza extrema', { variants: [URBAN, RURAL] }),
      sum('060', 'Servicio de atención a población migrante', 'Personas migrantes atendidas', 'Número', [1500, 3000], 'Atender {n} personas migrantes y retornadas', { variants: ['con orientación para la regularización', 'con atención humanitaria'] }),
      sum('054', 'Servicio de promoción de la participación juvenil', 'Jóvenes vinculados a procesos de participación', 'Número', [3000, 6000], 'Vincular {n} jóvenes a procesos de participación y liderazgo', { variants: ['en plataformas juveniles', RURAL] }),
    ],
  },
  // ---------------------------------------------------------------- Cultura
  {
    department: 'SCUL', line: 1, sectorCode: '33', programCode: '3301', program: 'Promoción y acceso efectivo a procesos culturales y artísticos',
    products: [
      level('stock', '053', 'Servicio de educación informal en áreas artísticas', 'Estudiantes en escuelas de formación artística', 'Número', [1500, 2500], [1500, 2500], 'Mantener {n} niños, niñas y jóvenes en escuelas de formación artística', [URBAN, RURAL]),
      sum('051', 'Servicio de promoción de actividades culturales', 'Eventos culturales realizados', 'Número', [80, 140], 'Realizar {n} eventos artísticos y culturales', { variants: [CORREG, 'en las comunas', 'en el centro histórico'] }),
      sum('065', 'Servicio de apoyo al Carnaval de Negros y Blancos', 'Ediciones del Carnaval de Negros y Blancos apoyadas', 'Número', [4, 4], 'Apoyar {n} ediciones del Carnaval de Negros y Blancos, patrimonio cultural inmaterial de la humanidad', { season: 'january' }),
      level('stock', '073', 'Servicio de bibliotecas', 'Bibliotecas públicas en funcionamiento', 'Número', [10, 14], [10, 14], 'Mantener {n} bibliotecas públicas de la red municipal en funcionamiento', [URBAN, RURAL]),
      sum('074', 'Servicio de promoción de la lectura', 'Usuarios atendidos en la red de bibliotecas', 'Número', [60000, 100000], 'Atender {n} usuarios en la red municipal de bibliotecas', { variants: [URBAN, RURAL] }),
      sum('066', 'Servicio de apoyo financiero al sector artístico y cultural', 'Estímulos entregados a artistas y gestores culturales', 'Número', [150, 300], 'Entregar {n} estímulos a artistas y gestores culturales', { season: 'yearEnd' }),
    ],
  },
  {
    department: 'SCUL', line: 1, sectorCode: '33', programCode: '3302', program: 'Gestión, protección y salvaguardia del patrimonio cultural colombiano',
    products: [
      sum('042', 'Bienes de interés cultural intervenidos', 'Bienes de interés cultural intervenidos', 'Número', [3, 6], 'Intervenir {n} bienes de interés cultural del centro histórico', { season: 'works' }),
      sum('053', 'Servicio de formación en oficios del patrimonio', 'Personas formadas en oficios del patrimonio', 'Número', [200, 400], 'Formar {n} personas en oficios del patrimonio', { variants: ['en barniz de Pasto (mopa-mopa)', 'en talla en madera y enchapado en tamo'] }),
    ],
  },
  // ---------------------------------------------------------------- Deporte y recreación
  {
    department: 'IDRE', line: 1, sectorCode: '43', programCode: '4301', program: 'Fomento a la recreación, la actividad física y el deporte',
    products: [
      sum('037', 'Escenarios deportivos construidos', 'Escenarios deportivos construidos', 'Número', [4, 8], 'Construir {n} escenarios deportivos', { variants: [URBAN, RURAL], season: 'works' }),
      sum('038', 'Escenarios deportivos adecuados', 'Escenarios deportivos mejorados', 'Número', [20, 40], 'Mejorar {n} escenarios deportivos y recreativos', { variants: [RURAL, 'en las comunas'], season: 'works' }),
      sum('007', 'Servicio de promoción de la actividad física', 'Personas beneficiadas con programas de actividad física', 'Número', [15000, 30000], 'Beneficiar {n} personas con programas de actividad física y hábitos saludables', { variants: [ELDERLY, DISABILITY, 'en parques y ciclovías'] }),
      level('flow', '011', 'Servicio de organización de eventos deportivos escolares', 'Estudiantes participantes en los Juegos Intercolegiados', 'Número', [5000, 6500], [7500, 9000], 'Alcanzar {n} estudiantes participantes en los Juegos Intercolegiados', [URBAN, RURAL]),
      sum('001', 'Servicio de organización de eventos recreativos', 'Eventos recreativos y deportivos comunitarios realizados', 'Número', [60, 120], 'Realizar {n} eventos recreativos y deportivos comunitarios', { variants: [CORREG, 'en las comunas', 'en parques de barrio'] }),
    ],
  },
  {
    department: 'IDRE', line: 1, sectorCode: '43', programCode: '4302', program: 'Formación y preparación de deportistas',
    products: [
      level('stock', '001', 'Servicio de escuelas deportivas', 'Niños, niñas y jóvenes en escuelas de formación deportiva', 'Número', [3000, 5000], [3000, 5000], 'Mantener {n} niños, niñas y jóvenes en escuelas de formación deportiva', [URBAN, RURAL]),
      level('stock', '004', 'Servicio de apoyo a deportistas de alto rendimiento', 'Deportistas de alto rendimiento apoyados', 'Número', [80, 150], [80, 150], 'Apoyar {n} deportistas de alto rendimiento'),
    ],
  },
  // ---------------------------------------------------------------- Tránsito y movilidad
  {
    department: 'STRM', line: 4, sectorCode: '24', programCode: '2409', program: 'Seguridad de transporte',
    products: [
      sum('005', 'Señalización vial instalada', 'Señales verticales instaladas', 'Número', [800, 1600], 'Instalar {n} señales de tránsito verticales', { variants: ['en entornos escolares', URBAN, 'en vías rurales'] }),
      sum('006', 'Demarcación vial realizada', 'Demarcación horizontal realizada', 'Kilómetros', [60, 120], 'Demarcar {n} km de vías', { variants: ['en la malla vial arterial', 'en zonas escolares'], season: 'campaign' }),
      sum('018', 'Servicio de educación en seguridad vial', 'Personas capacitadas en seguridad vial', 'Número', [20000, 40000], 'Capacitar {n} personas en seguridad vial', { variants: ['entre estudiantes de instituciones educativas', 'entre motociclistas', 'entre conductores de transporte público'], season: 'school' }),
      level('reduction', '020', 'Servicio de prevención de siniestros viales', 'Tasa de mortalidad por siniestros viales', 'Tasa por 100.000 habitantes', [11, 13.5], [8, 9.5], 'Reducir a {n} por cada 100.000 habitantes la mortalidad por siniestros viales'),
      level('flow', '012', 'Servicio de revisión de la flota de transporte público', 'Flota de transporte público con revisión técnico-mecánica vigente', 'Porcentaje', [78, 84], [92, 95], 'Alcanzar el {n} % de la flota de transporte público con revisión técnico-mecánica vigente'),
      sum('010', 'Sistemas de semaforización modernizados', 'Intersecciones semaforizadas modernizadas', 'Número', [20, 40], 'Modernizar {n} intersecciones semaforizadas', { season: 'works' }),
      sum('021', 'Servicio de control de tránsito', 'Operativos de control de tránsito realizados', 'Número', [1500, 3000], 'Realizar {n} operativos de control de tránsito', { variants: ['de alcoholemia', 'de transporte informal'] }),
    ],
  },
  {
    department: 'STRM', line: 4, sectorCode: '24', programCode: '2408', program: 'Prestación de servicios de transporte público de pasajeros',
    products: [
      sum('007', 'Ciclorrutas construidas', 'Ciclorrutas construidas', 'Kilómetros', [8, 16], 'Construir {n} km de ciclorrutas', { season: 'works' }),
      sum('009', 'Paraderos de transporte público adecuados', 'Paraderos adecuados', 'Número', [60, 120], 'Adecuar {n} paraderos del sistema estratégico de transporte público', { variants: [URBAN, 'en rutas a corregimientos'] }),
    ],
  },
  // ---------------------------------------------------------------- Gestión del riesgo
  {
    department: 'OGRD', line: 3, sectorCode: '45', programCode: '4503', program: 'Gestión del riesgo de desastres y emergencias',
    products: [
      sum('012', 'Obras de mitigación del riesgo', 'Obras de mitigación del riesgo construidas', 'Número', [10, 20], 'Construir {n} obras de mitigación del riesgo', { variants: ['en zonas de ladera', 'en cauces de quebradas'], season: 'works' }),
      sum('016', 'Servicio de fortalecimiento de comités comunitarios', 'Comités comunitarios de gestión del riesgo conformados', 'Número', [40, 80], 'Conformar {n} comités comunitarios de gestión del riesgo', { variants: ['en la zona de influencia del volcán Galeras', 'en barrios en zona de ladera'] }),
      sum('018', 'Servicio de simulacros', 'Simulacros de evacuación realizados', 'Número', [16, 30], 'Realizar {n} simulacros de evacuación', { variants: [SCHOOLS, 'en la zona de amenaza volcánica alta'], season: 'campaign' }),
      level('stock', '021', 'Sistemas de alerta temprana', 'Sistemas de alerta temprana en funcionamiento', 'Número', [6, 10], [6, 10], 'Mantener {n} sistemas de alerta temprana en funcionamiento', ['en la zona de amenaza volcánica del Galeras', 'en cuencas con amenaza por avenidas torrenciales']),
      sum('024', 'Documentos de planeación del riesgo', 'Plan municipal de gestión del riesgo actualizado', 'Número', [1, 1], 'Actualizar {n} Plan Municipal de Gestión del Riesgo de Desastres', { oneOff: true }),
      sum('030', 'Servicio de atención a emergencias', 'Familias afectadas atendidas con ayuda humanitaria', 'Número', [1000, 2000], 'Atender con ayuda humanitaria a {n} familias afectadas por emergencias'),
      sum('033', 'Servicio de fortalecimiento del cuerpo de bomberos', 'Vehículos y equipos para bomberos adquiridos', 'Número', [4, 8], 'Adquirir {n} vehículos y equipos especializados para el Cuerpo de Bomberos', { season: 'yearEnd' }),
    ],
  },
  // ---------------------------------------------------------------- Hacienda
  {
    department: 'SHAC', line: 5, sectorCode: '45', programCode: '4599', program: 'Fortalecimiento a la gestión y dirección de la administración pública territorial',
    products: [
      sum('031', 'Servicio de fiscalización tributaria', 'Estrategias de fiscalización tributaria implementadas', 'Número', [8, 16], 'Implementar {n} estrategias de fiscalización del impuesto de industria y comercio', { variants: ['con cruces de información exógena', 'con visitas de verificación'] }),
      level('flow', '032', 'Servicio de gestión del recaudo', 'Recaudo efectivo del impuesto predial frente a lo facturado', 'Porcentaje', [62, 68], [74, 78], 'Alcanzar un recaudo efectivo del {n} % del impuesto predial facturado'),
      sum('034', 'Servicio de actualización catastral', 'Predios con actualización catastral', 'Número', [40000, 80000], 'Actualizar {n} predios en el marco del catastro multipropósito', { variants: [URBAN, RURAL], season: 'yearEnd' }),
      level('reduction', '035', 'Servicio de gestión de cartera', 'Cartera morosa del impuesto predial', 'Porcentaje', [30, 36], [22, 26], 'Reducir al {n} % la cartera morosa del impuesto predial'),
      sum('036', 'Servicio de atención al contribuyente', 'Trámites tributarios atendidos por canales virtuales', 'Número', [30000, 60000], 'Atender {n} trámites tributarios por canales virtuales'),
    ],
  },
  // ---------------------------------------------------------------- Planeación
  {
    department: 'OPLA', line: 5, sectorCode: '45', programCode: '4599', program: 'Fortalecimiento a la gestión y dirección de la administración pública territorial',
    products: [
      sum('011', 'Servicio de aplicación de la encuesta Sisbén IV', 'Encuestas Sisbén IV realizadas', 'Número', [15000, 30000], 'Realizar {n} encuestas del Sisbén IV', { variants: [URBAN, RURAL] }),
      sum('013', 'Servicio de banco de programas y proyectos', 'Proyectos de inversión registrados y viabilizados', 'Número', [200, 400], 'Registrar y viabilizar {n} proyectos de inversión en el banco de programas y proyectos'),
      level('flow', '015', 'Servicio de fortalecimiento institucional', 'Índice de Desempeño Institucional', 'Puntos', [72, 76], [80, 84], 'Alcanzar {n} puntos en el Índice de Desempeño Institucional (FURAG)'),
      sum('017', 'Servicio de rendición de cuentas', 'Audiencias de rendición de cuentas realizadas', 'Número', [8, 8], 'Realizar {n} audiencias públicas de rendición de cuentas', { variants: ['con enfoque en niñez y juventud', 'en corregimientos'], season: 'yearEnd' }),
      sum('019', 'Servicio de seguimiento al Plan de Desarrollo', 'Informes de seguimiento al Plan de Desarrollo publicados', 'Número', [16, 16], 'Publicar {n} informes trimestrales de seguimiento al Plan de Desarrollo'),
    ],
  },
  {
    department: 'OPLA', line: 4, sectorCode: '40', programCode: '4002', program: 'Ordenamiento territorial y desarrollo urbano',
    products: [
      sum('010', 'Documentos de planeación territorial', 'Plan de Ordenamiento Territorial revisado y ajustado', 'Número', [1, 1], 'Revisar y ajustar {n} Plan de Ordenamiento Territorial', { oneOff: true }),
      sum('012', 'Servicio de estratificación socioeconómica', 'Predios con estratificación actualizada', 'Número', [20000, 40000], 'Actualizar la estratificación socioeconómica de {n} predios', { variants: [URBAN, 'en centros poblados rurales'] }),
    ],
  },
  {
    department: 'OPLA', line: 5, sectorCode: '23', programCode: '2302', program: 'Fomento del desarrollo de aplicaciones, software y contenidos para impulsar la apropiación de las TIC',
    products: [
      sum('004', 'Servicio de gobierno digital', 'Trámites y servicios digitalizados', 'Número', [30, 60], 'Digitalizar {n} trámites y servicios de la alcaldía', { variants: ['en la sede electrónica', 'interoperables con la Carpeta Ciudadana'] }),
    ],
  },
  // ---------------------------------------------------------------- Mujeres y equidad de género
  {
    department: 'SMEG', line: 1, sectorCode: '45', programCode: '4502',
    program: 'Fortalecimiento del buen gobierno para el respeto y garantía de los derechos humanos',
    products: [
      sum('031', 'Servicio de promoción de los derechos de las mujeres', 'Mujeres capacitadas en derechos y prevención de violencias basadas en género', 'Número', [3000, 6000], 'Capacitar en derechos y prevención de violencias basadas en género a {n} mujeres', { variants: ['de la zona rural', 'indígenas y afrodescendientes', 'jóvenes', 'de organizaciones sociales'] }),
      sum('032', 'Servicio de atención a mujeres víctimas de violencias', 'Mujeres víctimas de violencias con atención psicojurídica', 'Número', [800, 1500], 'Brindar atención psicojurídica a {n} mujeres víctimas de violencias basadas en género', { variants: [URBAN, RURAL] }),
      level('stock', '033', 'Servicio de acogida temporal', 'Cupos de acogida en la casa refugio', 'Número', [20, 30], [20, 30], 'Mantener {n} cupos de acogida en la casa refugio para mujeres víctimas de violencias'),
      sum('035', 'Documentos de política pública de equidad de género', 'Política pública de equidad de género actualizada', 'Número', [1, 1], 'Actualizar {n} Política Pública de Equidad de Género para las Mujeres', { oneOff: true }),
      sum('036', 'Servicio de apoyo a emprendimientos de mujeres', 'Emprendimientos de mujeres apoyados', 'Número', [200, 400], 'Apoyar {n} emprendimientos liderados por mujeres', { variants: ['rurales', 'cabeza de hogar', 'víctimas del conflicto armado'], season: 'yearEnd' }),
      sum('038', 'Servicio de promoción de la diversidad sexual', 'Personas de los sectores LGBTIQ+ beneficiadas con acciones afirmativas', 'Número', [300, 600], 'Beneficiar {n} personas de los sectores LGBTIQ+ con acciones afirmativas'),
    ],
  },
  // ---------------------------------------------------------------- Vivienda
  {
    department: 'SVIV', line: 4, sectorCode: '40', programCode: '4001', program: 'Acceso a soluciones de vivienda',
    products: [
      sum('015', 'Viviendas de interés social construidas', 'Viviendas de interés social construidas', 'Número', [300, 600], 'Construir {n} viviendas de interés social', { variants: [URBAN, RURAL, VICTIMS], season: 'works' }),
      sum('031', 'Servicio de apoyo financiero para mejoramiento de vivienda', 'Hogares beneficiados con mejoramiento de vivienda', 'Número', [500, 1000], 'Mejorar {n} viviendas', { variants: [RURAL, 'en barrios de estratos 1 y 2', 'con cocinas y baños saludables'], season: 'works' }),
      sum('034', 'Servicio de apoyo financiero para adquisición de vivienda', 'Subsidios para adquisición de vivienda otorgados', 'Número', [200, 400], 'Otorgar {n} subsidios complementarios para adquisición de vivienda', { variants: ['a hogares de estratos 1 y 2', 'a hogares con jefatura femenina'] }),
      sum('022', 'Servicio de titulación de predios', 'Predios titulados', 'Número', [400, 800], 'Titular {n} predios fiscales ocupados con vivienda de interés social', { variants: [URBAN, RURAL] }),
      level('reduction', '040', 'Servicio de gestión del déficit habitacional', 'Déficit cuantitativo de vivienda', 'Porcentaje', [8, 9.5], [6, 7], 'Reducir al {n} % el déficit cuantitativo de vivienda', [URBAN, RURAL]),
    ],
  },
  {
    department: 'SVIV', line: 4, sectorCode: '40', programCode: '4002', program: 'Ordenamiento territorial y desarrollo urbano',
    products: [
      sum('021', 'Espacio público construido', 'Espacio público construido', 'Metros cuadrados', [10000, 20000], 'Construir {n} m² de espacio público', { variants: ['en parques de barrio', 'en el centro histórico', 'en la ribera del río Pasto'], season: 'works' }),
    ],
  },
];
