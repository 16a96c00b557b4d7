import type { MessageKey } from './en.js'

/** Spanish (`es`): every key of the English catalogue, in a neutral, polite (usted) register. */
export const es: Readonly<Record<MessageKey, string>> = {
  'screen.loading.title': 'Cargando la tarea…',
  'screen.preview.title': 'Vista previa',
  'screen.preview.text': 'Esta es una vista previa de la tarea. Acéptela para empezar a trabajar.',
  'screen.saving.title': 'Guardando sus respuestas…',
  'screen.saving.retrying':
    'Seguimos intentándolo (intento {attempt}). Mantenga esta página abierta: sus respuestas se conservan en este navegador y se enviarán cuando el servidor vuelva.',
  'screen.submitted.title': 'Guardado: ¡gracias!',
  'screen.submitted.text': 'Sus respuestas están guardadas. Puede cerrar esta página.',
  'screen.submittedBefore.title': 'Ya ha enviado esta tarea',
  'screen.submittedBefore.text':
    'Sus respuestas están guardadas; no queda nada por hacer. Puede cerrar esta página.',
  'screen.answer.caption': 'Sus respuestas',
  'screen.failed.title': 'Sus respuestas aún no están guardadas',
  'screen.failed.text': '{error} Se conservan en este navegador.',
  'screen.failed.unconfirmed': 'El servidor no las ha confirmado.',
  'screen.failed.button': 'Intentar de nuevo',
  'screen.error.title': 'No se pudo cargar la tarea',
  'screen.error.button': 'Reintentar',
  'screen.blocked.title': 'No puede trabajar en esta tarea en este momento',

  'blocked.no_mobile.title': 'No disponible en teléfonos ni tabletas',
  'blocked.no_mobile.text':
    'Lo sentimos, esta tarea no se puede realizar en dispositivos móviles. Use un ordenador.',
  'blocked.no_websockets.title': 'Su navegador no es compatible',
  'blocked.no_websockets.text':
    'Lo sentimos, su navegador no admite la versión de WebSockets que necesita esta tarea. Actualice a un navegador moderno.',
  'blocked.already_submitted.text':
    'Esta tarea ya se envió con otras respuestas; se ha conservado el primer envío.',
  'blocked.agent_unknown.title': 'No se pudieron guardar sus respuestas',
  'blocked.agent_unknown.text':
    'Lo sentimos, el servidor ya no reconoce esta asignación, por lo que sus respuestas no se pudieron guardar. Devuelva la tarea, por favor.',
  'blocked.submission_refused.title': 'No se pudieron guardar sus respuestas',
  'blocked.submission_refused.text':
    'Lo sentimos, el servidor rechazó sus respuestas y no se pudieron guardar. Póngase en contacto con el solicitante.',
  'blocked.unknown.text': 'Lo sentimos, no puede trabajar en esta tarea. (código: {code})',
  'blocked.submittedBefore.text': 'Ya ha enviado esta tarea; sus respuestas están guardadas.',

  'blocked.expired.title': 'Esta tarea ha terminado',
  'blocked.expired.text':
    'Esta tarea ya no se puede completar. Devuélvala y pruebe con otra tarea, por favor.',
  'blocked.timeout.title': 'Esta tarea ha terminado',
  'blocked.timeout.text':
    'Ha tardado demasiado en responder y se ha agotado el tiempo. La tarea ya no está disponible; devuélvala, por favor.',
  'blocked.disconnect.title': 'Esta tarea ha terminado',
  'blocked.disconnect.text':
    'Se ha desconectado de nuestro servidor durante la tarea. Si había hecho mucho trabajo, escríbanos y veremos si podemos recuperarlo.',
  'blocked.returned.title': 'Esta tarea ha terminado',
  'blocked.returned.text':
    'Se ha desconectado de nuestro servidor durante la tarea. Si había hecho mucho trabajo, escríbanos y veremos si podemos recuperarlo.',
  'blocked.partner disconnect.title': 'Su compañero se ha ido',
  'blocked.partner disconnect.text':
    'Una de las personas con las que trabajaba se ha desconectado. No le penalizaremos por ello; envíe la tarea tal como está.',
  'blocked.mephisto disconnect.title': 'El servidor de la tarea se ha detenido',
  'blocked.mephisto disconnect.text':
    'Parece que nuestro servidor dejó de funcionar durante la tarea. Si había hecho mucho trabajo, escríbanos y veremos si la tarea está lo bastante completa para pagarla.',

  'refusal.NOT_QUALIFIED.title': 'Esta tarea no está disponible para usted',
  'refusal.NOT_QUALIFIED.text':
    'Su cuenta no cumple los requisitos de esta tarea, por lo que no está disponible para usted.',
  'refusal.NO_AVAILABLE_UNITS.title': 'Ahora mismo no hay trabajo disponible',
  'refusal.NO_AVAILABLE_UNITS.text':
    'En este momento no hay trabajo disponible. Vuelva a intentarlo un poco más tarde.',
  'refusal.TASK_MISSING.title': 'Esta tarea ya no está abierta para usted',
  'refusal.TASK_MISSING.text':
    'Parece que ya completó esta tarea, o estuvo desconectado el tiempo suficiente para que su sesión se cerrara.',
  'refusal.TOO_MANY_CONCURRENT.title': 'Termine primero su trabajo actual',
  'refusal.TOO_MANY_CONCURRENT.text':
    'Está trabajando en demasiadas tareas a la vez para aceptar otra. Termine primero su trabajo actual, por favor.',
  'refusal.MAX_FOR_TASK.title': 'Ya ha hecho todo el trabajo que permite esta tarea',
  'refusal.MAX_FOR_TASK.text':
    'Ya ha completado el número máximo de tareas que el solicitante permite para esta tarea. Gracias por su trabajo.',
  'refusal.REGISTRATION_TAKEN.title': 'Este enlace pertenece a otra persona',
  'refusal.REGISTRATION_TAKEN.text':
    'Otra persona ya está usando este enlace de la tarea, así que no se puede abrir con su cuenta. Use su propio enlace, por favor.',
  'refusal.ONBOARDING_FAILED.title': 'No ha superado la prueba de calificación',
  'refusal.ONBOARDING_FAILED.text':
    'No ha superado la prueba de calificación de esta tarea, por lo que no está disponible para usted. Gracias por intentarlo.',
  'refusal.BLOCKED.title': 'Esta tarea no está disponible para usted',
  'refusal.BLOCKED.text':
    'El solicitante no ofrece esta tarea a su cuenta, por lo que no está disponible para usted.',
  'refusal.NO_UNITS_LEFT.title': 'Todo el trabajo está hecho',
  'refusal.NO_UNITS_LEFT.text':
    'Ya se ha hecho todo el trabajo de esta tarea, así que no queda nada por empezar. Gracias por su interés.',
  'refusal.RUN_PAUSED.title': 'Esta tarea está en pausa por ahora',
  'refusal.RUN_PAUSED.text':
    'El solicitante ha pausado esta tarea por el momento. Vuelva a intentarlo un poco más tarde.',
  'refusal.RUN_ENDED.title': 'Esta tarea ha terminado',
  'refusal.RUN_ENDED.text':
    'Esta tarea ha terminado, así que no se puede empezar trabajo nuevo. Gracias por su interés.',

  'live.closed': 'La conexión en directo se ha cerrado.',
  'live.rejected': 'El servidor rechazó la conexión de esta página (código de cierre {code}).',
  'live.replaced': 'Esta tarea está abierta en otra pestaña o ventana; continúe allí.',
}
