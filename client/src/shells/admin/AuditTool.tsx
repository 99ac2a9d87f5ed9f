/** The audit log in the top bar (admins). */
import { AuditLog } from '../../edit/AuditLog';
import { useOneMap } from '../../frame/oneMap';

export default function AuditTool() {
  return <AuditLog layers={useOneMap().layers} />;
}
